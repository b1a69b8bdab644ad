// Key Vault for the connector's secrets: the Confluence and RecordPoint client secrets
// (set by the operator, read through Key Vault references) and the OAuth tokens the token
// store rotates. Access is by Azure RBAC only; no access policies.

@description('Name of the vault (3-24 characters).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to the vault.')
param tags object

@description('Name of the connector\'s user-assigned identity (same resource group).')
param identityName string

@description('Purge protection: a deleted vault cannot be purged before its retention period ends.')
param enablePurgeProtection bool

// Key Vault Secrets Officer (built-in).
var keyVaultSecretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

// Secrets Officer rather than Secrets User: the token store writes the rotated Atlassian
// refresh token back to the vault. The same role resolves the app's Key Vault references.
resource secretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficer)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'Token store writes rotated OAuth tokens; Key Vault references read the client secrets.'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
