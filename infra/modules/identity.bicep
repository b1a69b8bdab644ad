// The connector's single user-assigned managed identity. Every data-plane role in this
// deployment is granted to it, and the Function App uses it for storage, Key Vault
// references, Application Insights and (optionally) the Durable Task Scheduler.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the identity.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
