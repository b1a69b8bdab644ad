// One Confluence -> RecordPoint connector instance (one per customer), deployed with `azd up`
// from this folder, or with `az deployment sub create --template-file main.bicep --parameters main.bicepparam`.
//
// Resource group
//   - user-assigned managed identity: the only principal that receives roles
//   - storage account (shared keys disabled) for AzureWebJobsStorage, the durable backend and the sync ledger
//   - Key Vault (RBAC) for the client secrets and the rotated OAuth tokens
//   - Log Analytics + Application Insights (local auth disabled)
//   - Flex Consumption plan + Function App (dotnet-isolated 10.0)
//   - optional Durable Task Scheduler + task hub as the durable backend
targetScope = 'subscription'

// ---------- Environment ----------

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and seeds the unique resource names.')
param environmentName string

@minLength(1)
@description('Azure region of every resource. It must offer Flex Consumption (and the Durable Task Scheduler when enabled).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Resource group to create or reuse; empty means rg-<environmentName>.')
param resourceGroupName string = ''

// ---------- Confluence (section "Confluence") ----------

@minLength(1)
@description('Confluence Cloud site subdomain only, e.g. "yourcompany" for yourcompany.atlassian.net.')
param confluenceDomain string

@minLength(1)
@description('OAuth 2.0 (3LO) client id of the customer\'s Atlassian app. Its secret goes to Key Vault, never here.')
param confluenceClientId string

@description('Atlassian authorization server.')
param confluenceAuthorizationServerUrl string = 'https://auth.atlassian.com'

@description('Atlassian API gateway through which the cloud id routes Confluence calls.')
param confluenceApiGatewayUrl string = 'https://api.atlassian.com'

@description('Spend the Confluence rate-limit quota evenly over its window (true), or only stop when it is spent (false).')
param confluencePacing bool = true

@description('Longest Confluence Retry-After / X-RateLimit-Reset wait honoured inside a call (d.hh:mm:ss); a longer one pauses the sync on a durable timer until the reset.')
param confluenceMaxRetryAfter string = '00:01:00'

@description('Space keys to sync; empty means every space.')
param confluenceSpaceInclude string[] = []

@description('Space keys never to sync (wins over the include list).')
param confluenceSpaceExclude string[] = []

// ---------- RecordPoint (section "RecordPoint") ----------

@minLength(1)
@description('Regional RecordPoint Connector API root, e.g. https://connector-aue.records365.com.au.')
param recordPointApiUrl string

@minLength(1)
@description('Connector id created in RecordPoint.')
param recordPointConnectorId string

@minLength(1)
@description('Entra tenant (GUID or domain) that issues RecordPoint tokens.')
param recordPointTenantId string

@minLength(1)
@description('Entra client id the connector uses for RecordPoint. Its secret goes to Key Vault, never here.')
param recordPointClientId string

@minLength(1)
@description('Application ID URI of the RecordPoint Connector API (token scope <audience>/.default).')
param recordPointAudience string

// ---------- Sync (section "Sync") ----------

@description('NCRONTAB schedule of the full sync (six fields, UTC).')
param syncSchedule string = '0 0 2 * * *'

@minValue(1)
@maxValue(250)
@description('Confluence list page size.')
param syncPageSize int = 250

@minValue(1)
@maxValue(256)
@description('Records a worker process submits at once, shared by the batch activities it runs.')
param syncSubmitConcurrency int = 64

@minValue(1)
@maxValue(64)
@description('Space sub-orchestrations that run at once.')
param syncMaxParallelSpaces int = 8

@minValue(1)
@maxValue(20)
@description('Attempts per activity before a batch counts as failed (transient failures only).')
param syncActivityMaxAttempts int = 5

@description('Wait before the first activity retry (TimeSpan, above 00:00:00 and at most 00:10:00); doubles on each further attempt.')
param syncActivityFirstRetryInterval string = '00:00:10'

@description('Whether blog posts are synced as records (with their comments and attachments), like pages.')
param syncIncludeBlogPosts bool = true

@description('Whether content binaries hold the rendered export_view HTML instead of the storage format (one more Confluence request per page).')
param syncUseExportView bool = false

@allowed([
  'Auto'
  'SiteWide'
  'PerContent'
])
@description('How a run reads comments, attachments and labels: Auto (site-wide listings unless the space filter keeps under 40% of the spaces), SiteWide or PerContent.')
param syncListingStrategy string = 'Auto'

@description('How often a sync waiting for the connector to be Enabled in RecordPoint looks again (TimeSpan, 00:00:01 to 01:00:00).')
param syncConnectorPollInterval string = '00:05:00'

@description('How long the history of finished runs is kept before the purge timer removes it (TimeSpan, at least one day).')
param operationsHistoryRetention string = '30.00:00:00'

@description('Table of the sync ledger (what RecordPoint accepted) in the app\'s own storage account.')
param ledgerTableName string = 'ConfluenceSyncLedger'

// ---------- Hosting ----------

@description('Durable backend: true = Durable Task Scheduler + task hub, false = Azure Storage (queues and tables).')
param useDurableTaskScheduler bool = false

@allowed([
  'Consumption'
  'Dedicated'
])
@description('Durable Task Scheduler SKU (used only when useDurableTaskScheduler is true).')
param durableTaskSchedulerSku string = 'Consumption'

@minValue(40)
@maxValue(1000)
@description('Flex Consumption maximum instance count.')
param maximumInstanceCount int = 40

@allowed([
  512
  2048
  4096
])
@description('Flex Consumption instance memory (MB).')
param instanceMemoryMB int = 2048

@description('Key Vault purge protection (recommended; a deleted vault then stays recoverable for 90 days and its name stays taken).')
param keyVaultPurgeProtection bool = true

// ---------- Names ----------

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  workload: 'confluence-connector'
}
var identityName = 'id-confluence-${resourceToken}'
var functionAppName = 'func-confluence-${resourceToken}'
var deploymentContainerName = 'app-package-${resourceToken}'
var taskHubName = 'confluenceconnector'

// Key Vault secret names the operator sets (README: az keyvault secret set).
var confluenceClientSecretName = 'confluence-client-secret'
var recordPointClientSecretName = 'recordpoint-client-secret'

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    identityName: identityName
  }
  // The roles are granted to the identity, which this module reads as an existing resource.
  dependsOn: [
    identity
  ]
}

module keyVault 'modules/keyvault.bicep' = {
  scope: rg
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    identityName: identityName
    enablePurgeProtection: keyVaultPurgeProtection
  }
  // The role is granted to the identity, which this module reads as an existing resource.
  dependsOn: [
    identity
  ]
}

module monitoring 'modules/monitoring.bicep' = {
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
    identityName: identityName
  }
  // The roles are granted to the identity, which this module reads as an existing resource.
  dependsOn: [
    identity
  ]
}

module durableTask 'modules/durabletask.bicep' = if (useDurableTaskScheduler) {
  scope: rg
  params: {
    name: 'dts-${resourceToken}'
    taskHubName: taskHubName
    location: location
    tags: tags
    skuName: durableTaskSchedulerSku
    identityName: identityName
  }
  // The roles are granted to the identity, which this module reads as an existing resource.
  dependsOn: [
    identity
  ]
}

module functionApp 'modules/functionapp.bicep' = {
  scope: rg
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    azdServiceName: 'api'
    identityId: identity.outputs.id
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
}

var functionAppHost = functionApp.outputs.defaultHostName
var oauthCallbackUrl = 'https://${functionAppHost}/api/oauth/callback'

// Durable Task Scheduler settings; empty values (scheduler off) are not written. The
// AzureFunctionsJobHost__ overrides switch host.json's durable storage provider to the
// scheduler, so host.json itself can stay on the Azure Storage default.
var dtsEndpoint = durableTask.?outputs.endpoint ?? ''
var dtsTaskHub = durableTask.?outputs.taskHubName ?? ''

module appSettings 'modules/appsettings.bicep' = {
  scope: rg
  params: {
    functionAppName: functionAppName
    settings: {
      // Functions host: identity-based AzureWebJobsStorage (no connection string, no keys).
      AzureWebJobsStorage__blobServiceUri: storage.outputs.blobEndpoint
      AzureWebJobsStorage__queueServiceUri: storage.outputs.queueEndpoint
      AzureWebJobsStorage__tableServiceUri: storage.outputs.tableEndpoint
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identity.outputs.clientId
      // DefaultAzureCredential in the worker (Key Vault token store, tables) picks this identity.
      AZURE_CLIENT_ID: identity.outputs.clientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'

      // Durable backend (only when the scheduler is on).
      DURABLE_TASK_SCHEDULER_CONNECTION_STRING: useDurableTaskScheduler
        ? 'Endpoint=${dtsEndpoint};Authentication=ManagedIdentity;ClientID=${identity.outputs.clientId}'
        : ''
      TASKHUB_NAME: useDurableTaskScheduler ? dtsTaskHub : ''
      AzureFunctionsJobHost__extensions__durableTask__hubName: useDurableTaskScheduler ? dtsTaskHub : ''
      AzureFunctionsJobHost__extensions__durableTask__storageProvider__type: useDurableTaskScheduler
        ? 'azureManaged'
        : ''
      AzureFunctionsJobHost__extensions__durableTask__storageProvider__connectionStringName: useDurableTaskScheduler
        ? 'DURABLE_TASK_SCHEDULER_CONNECTION_STRING'
        : ''

      // Confluence. Not set on purpose: Confluence__BaseUrl (local simulator override) and
      // Confluence__Email / Confluence__ApiToken (Basic auth is for development only).
      Confluence__Domain: confluenceDomain
      Confluence__AuthMode: 'OAuth'
      Confluence__ClientId: confluenceClientId
      Confluence__ClientSecret: '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=${confluenceClientSecretName})'
      Confluence__CallbackUrl: oauthCallbackUrl
      Confluence__AuthorizationServerUrl: confluenceAuthorizationServerUrl
      Confluence__ApiGatewayUrl: confluenceApiGatewayUrl

      // Confluence rate limits and faults: retries with jittered backoff, waits asked for honoured up to
      // MaxRetryAfter (a longer one, the hourly quota spent, pauses the sync on a durable timer), quota pacing.
      Confluence__Pacing: string(confluencePacing)
      Confluence__Resilience__MaxRetries: '6'
      Confluence__Resilience__RetryBaseDelay: '00:00:02'
      Confluence__Resilience__MaxRetryDelay: '00:00:30'
      Confluence__Resilience__MaxRetryAfter: confluenceMaxRetryAfter
      Confluence__Resilience__AttemptTimeout: '00:01:40'
      Confluence__Resilience__TotalTimeout: '00:10:00'

      // RecordPoint.
      RecordPoint__ApiUrl: recordPointApiUrl
      RecordPoint__ConnectorId: recordPointConnectorId
      RecordPoint__TenantId: recordPointTenantId
      RecordPoint__ClientId: recordPointClientId
      RecordPoint__ClientSecret: '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=${recordPointClientSecretName})'
      RecordPoint__Audience: recordPointAudience
      RecordPoint__AuthMode: 'Entra'
      RecordPoint__Resilience__MaxRetries: '6'
      RecordPoint__Resilience__RetryBaseDelay: '00:00:02'
      RecordPoint__Resilience__MaxRetryDelay: '00:00:30'
      RecordPoint__Resilience__MaxRetryAfter: '00:01:00'
      RecordPoint__Resilience__AttemptTimeout: '00:01:40'
      RecordPoint__Resilience__TotalTimeout: '00:10:00'

      // Sync.
      Sync__Schedule: syncSchedule
      Sync__PageSize: string(syncPageSize)
      Sync__SubmitConcurrency: string(syncSubmitConcurrency)
      Sync__MaxParallelSpaces: string(syncMaxParallelSpaces)
      Sync__ActivityMaxAttempts: string(syncActivityMaxAttempts)
      Sync__ActivityFirstRetryInterval: syncActivityFirstRetryInterval
      Sync__IncludeBlogPosts: string(syncIncludeBlogPosts)
      Sync__UseExportView: string(syncUseExportView)
      Sync__ListingStrategy: syncListingStrategy
      Sync__ConnectorPollInterval: syncConnectorPollInterval

      // Operations.
      Operations__HistoryRetention: operationsHistoryRetention

      // Sync ledger: a table in the app's own storage (AzureWebJobsStorage__tableServiceUri + managed identity).
      Ledger__TableName: ledgerTableName

      // Token store.
      KeyVault__Uri: keyVault.outputs.uri
    }
    indexedSettings: {
      Confluence__SpaceFilter__Include: confluenceSpaceInclude
      Confluence__SpaceFilter__Exclude: confluenceSpaceExclude
    }
  }
}

// ---------- Outputs (azd stores them in the environment) ----------

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output FUNCTION_APP_URL string = 'https://${functionAppHost}'
@description('Register this as the callback URL of the customer\'s Atlassian OAuth 2.0 (3LO) app.')
output OAUTH_CALLBACK_URL string = oauthCallbackUrl
output KEY_VAULT_URI string = keyVault.outputs.uri
output KEY_VAULT_NAME string = keyVault.outputs.name
output CONFLUENCE_CLIENT_SECRET_NAME string = confluenceClientSecretName
output RECORDPOINT_CLIENT_SECRET_NAME string = recordPointClientSecretName
output DURABLE_TASK_SCHEDULER_ENDPOINT string = dtsEndpoint
