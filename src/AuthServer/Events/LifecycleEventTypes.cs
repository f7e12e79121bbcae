using System.Collections.Frozen;
using System.Reflection;
using AuthServer.Audit;

namespace AuthServer.Events;

/// <summary>
/// Which changes are lifecycle events. A person's or a client's change is audited, and every audited change of a key
/// (<c>key.*</c>) or of an account's members (<c>member.*</c>, and an accepted invitation: a member joined) is also an
/// event of the same name, written by <see cref="AuditLog"/>: so a new kind of key change is an event as soon as it
/// is audited. Events that no one causes (a key expiring) are written by <see cref="KeyExpiryWatcher"/>.
/// </summary>
public static class LifecycleEventTypes
{
    public const string KeyRevoked = AuditActions.KeyRevoked;
    public const string MemberJoined = "member.joined";
    public const string KeyExpiringSoon = "key.expiring_soon";
    public const string KeyExpired = "key.expired";

    /// <summary>The event type an audited action is, or null when it is not a lifecycle event.</summary>
    public static string? OfAuditAction(string action) => action switch
    {
        AuditActions.InvitationAccepted => MemberJoined,
        _ when action.StartsWith("key.", StringComparison.Ordinal) || action.StartsWith("member.", StringComparison.Ordinal) => action,
        _ => null,
    };

    /// <summary>Every event type there is: those of the audited actions, and the expiry events.</summary>
    public static readonly IReadOnlySet<string> All = typeof(AuditActions)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral)
        .Select(field => OfAuditAction((string)field.GetRawConstantValue()!))
        .OfType<string>()
        .Append(KeyExpiringSoon)
        .Append(KeyExpired)
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The key an event of this type is about, when it is about one.</summary>
    public static bool IsAboutAKey(string type) => type.StartsWith("key.", StringComparison.Ordinal);
}
