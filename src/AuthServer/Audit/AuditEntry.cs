namespace AuthServer.Audit;

/// <summary>One change to an account, key, scope or resource server. Never contains a secret.</summary>
public sealed class AuditEntry
{
    public long Id { get; init; }

    public DateTime At { get; init; }

    public required string ActorId { get; init; }

    public required string ActorAddress { get; init; }

    /// <summary>The account the change belongs to; null for server-wide things (scopes, resource servers).</summary>
    public string? AccountId { get; init; }

    /// <summary>e.g. <c>key.created</c>, <c>key.revoked</c>, <c>account.key_limit_set</c>.</summary>
    public required string Action { get; init; }

    /// <summary>The ID or name of what changed.</summary>
    public required string Subject { get; init; }

    /// <summary>JSON with the new values that matter (name, scopes, expiry…).</summary>
    public string? Details { get; init; }
}

public static class AuditActions
{
    public const string AccountCreated = "account.created";
    public const string AccountKeyLimitSet = "account.key_limit_set";
    public const string KeyCreated = "key.created";
    public const string KeyRenamed = "key.renamed";
    public const string KeyExtended = "key.extended";
    public const string KeyRevoked = "key.revoked";
    public const string KeyRolled = "key.rolled";
    public const string KeyRollGraceEnded = "key.roll_grace_ended";
    public const string KeyDirectUseSet = "key.direct_use_set";
    public const string KeyLimitsChanged = "key.limits_changed";
    public const string KeyLeakReported = "key.leak_reported";
    public const string WebhookCreated = "webhook.created";
    public const string WebhookUpdated = "webhook.updated";
    public const string WebhookDeleted = "webhook.deleted";
    public const string WebhookRedelivered = "webhook.redelivered";
    public const string WebhookDisabledAfterFailures = "webhook.disabled_after_failures";
    public const string ScopeCreated = "scope.created";
    public const string ScopeMarkedLiveOnly = "scope.marked_live_only";
    public const string ScopeOpenedToTestKeys = "scope.opened_to_test_keys";
    public const string ScopeMarkedPublishable = "scope.marked_publishable";
    public const string ScopeWithdrawnFromBrowsers = "scope.withdrawn_from_browsers";
    public const string PublishableKeyCreated = "key.publishable_key_created";
    public const string PublishableKeyOriginsSet = "key.allowed_origins_set";
    public const string PublishableKeyRegenerated = "key.publishable_key_regenerated";
    public const string PublishableKeyRemoved = "key.publishable_key_removed";
    public const string SigningSecretGenerated = "key.signing_secret_generated";
    public const string SigningSecretWithdrawn = "key.signing_secret_withdrawn";
    public const string InvitationCreated = "invitation.created";
    public const string InvitationAccepted = "invitation.accepted";
    public const string MemberRoleChanged = "member.role_changed";
    public const string MemberRemoved = "member.removed";
    public const string OperatorGranted = "user.operator_granted";
    public const string PasskeyAdded = "user.passkey_added";
    public const string PasskeyRemoved = "user.passkey_removed";
    public const string SingleSignOnLinked = "user.single_sign_on_linked";
    public const string ResourceServerCreated = "resource_server.created";
    public const string ResourceServerCredentialsIssued = "resource_server.credentials_issued";
}
