// Durable Task Scheduler with one task hub: the managed durable backend, used instead of
// Azure Storage when main.bicep's useDurableTaskScheduler is true.

@description('Name of the scheduler.')
@minLength(3)
@maxLength(64)
param name string

@description('Name of the task hub.')
@minLength(3)
@maxLength(64)
param taskHubName string

@description('Azure region.')
param location string

@description('Tags applied to the scheduler.')
param tags object

@description('Consumption (pay per use) or Dedicated.')
@allowed([
  'Consumption'
  'Dedicated'
])
param skuName string

@description('Name of the connector\'s user-assigned identity (same resource group).')
param identityName string

// Durable Task Data Contributor (built-in).
var durableTaskDataContributor = '0ad04412-c4d5-4796-b79c-f76d14c8d402'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource scheduler 'Microsoft.DurableTask/schedulers@2026-02-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: {
      name: skuName
    }
    // An empty allow list denies all traffic; callers are still authenticated with Entra ID.
    ipAllowlist: [
      '0.0.0.0/0'
    ]
  }
}

resource taskHub 'Microsoft.DurableTask/schedulers/taskHubs@2026-02-01' = {
  parent: scheduler
  name: taskHubName
}

// Scoped to the task hub, not the scheduler: the app needs only its own hub.
resource dataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(taskHub.id, identity.id, durableTaskDataContributor)
  scope: taskHub
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', durableTaskDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'Durable Functions orchestrations and activities run on this task hub.'
  }
}

output endpoint string = scheduler.properties.endpoint
output taskHubName string = taskHub.name
