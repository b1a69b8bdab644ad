// The Function App's complete app settings. main.bicep passes them as one literal object
// (so the compiled template shows every key; the infra tests check them against the
// options classes the code binds) plus the list-valued settings, which become indexed keys.

@description('Name of the existing Function App.')
param functionAppName string

@description('Settings by key (`__` for the `:` of .NET configuration). Entries whose value is empty are omitted, so an unused optional setting falls back to the code default.')
param settings object

@description('List-valued settings by key prefix; each list becomes `<prefix>__0`, `<prefix>__1`, ...')
param indexedSettings object

resource site 'Microsoft.Web/sites@2025-03-01' existing = {
  name: functionAppName
}

var scalarSettings = toObject(filter(items(settings), s => !empty(s.value)), s => s.key, s => s.value)

var listSettings = reduce(
  items(indexedSettings),
  {},
  (acc, list) => union(acc, toObject(range(0, length(list.value)), i => '${list.key}__${i}', i => list.value[i]))
)

resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'appsettings'
  properties: union(scalarSettings, listSettings)
}
