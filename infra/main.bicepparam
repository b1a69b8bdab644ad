// Parameters of one connector instance. `azd up` (run from infra/) uses this file: each value
// comes from the azd environment (`azd env set NAME value`, stored in .azure/<env>/.env) and
// falls back to the default shown. The same file works with
//   az deployment sub create -l <region> -f main.bicep -p main.bicepparam
// after exporting the same variables.
//
// No secret belongs here: the Confluence and RecordPoint client secrets are set in Key Vault
// after provisioning (see README.md) and reach the app as Key Vault references.
using './main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'confluence-example')
param location = readEnvironmentVariable('AZURE_LOCATION', 'australiaeast')
param resourceGroupName = readEnvironmentVariable('AZURE_RESOURCE_GROUP', '')

// Confluence Cloud: site subdomain and the customer's Atlassian OAuth 2.0 (3LO) app.
param confluenceDomain = readEnvironmentVariable('CONFLUENCE_DOMAIN', 'yourcompany')
param confluenceClientId = readEnvironmentVariable('CONFLUENCE_CLIENT_ID', 'atlassian-oauth-client-id')
// Optional space filter, comma-separated space keys, e.g. "ENG,HR" (empty = every space).
param confluenceSpaceInclude = map(
  filter(split(readEnvironmentVariable('CONFLUENCE_SPACE_INCLUDE', ''), ','), k => !empty(trim(k))),
  k => trim(k)
)
param confluenceSpaceExclude = map(
  filter(split(readEnvironmentVariable('CONFLUENCE_SPACE_EXCLUDE', ''), ','), k => !empty(trim(k))),
  k => trim(k)
)

// RecordPoint Connector API and the Entra app the connector authenticates with.
param recordPointApiUrl = readEnvironmentVariable('RECORDPOINT_API_URL', 'https://connector-aue.records365.com.au')
param recordPointConnectorId = readEnvironmentVariable(
  'RECORDPOINT_CONNECTOR_ID',
  '00000000-0000-0000-0000-000000000000'
)
param recordPointTenantId = readEnvironmentVariable('RECORDPOINT_TENANT_ID', 'yourtenant.onmicrosoft.com')
param recordPointClientId = readEnvironmentVariable('RECORDPOINT_CLIENT_ID', '00000000-0000-0000-0000-000000000000')
param recordPointAudience = readEnvironmentVariable(
  'RECORDPOINT_AUDIENCE',
  'https://recordpoint-connector-api-audience'
)

// Nightly full sync at 02:00 UTC.
param syncSchedule = readEnvironmentVariable('SYNC_SCHEDULE', '0 0 2 * * *')

// Durable backend: Azure Storage by default; "true" adds a Durable Task Scheduler and task hub.
param useDurableTaskScheduler = bool(readEnvironmentVariable('USE_DURABLE_TASK_SCHEDULER', 'false'))
