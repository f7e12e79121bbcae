using AuthServer.Failures;
using AuthServer.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthServer.Admin;

public sealed record CreateInvitationBody(string? Email, MemberRole? Role);

public sealed record CreatedInvitationResponse(InvitationView Invitation, string Link, string Note);

/// <summary>Invitations into an account's console: how an operator (or the account's admin key) brings in its first administrator.</summary>
internal static class InvitationEndpoints
{
    public static void MapInvitationEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapPost("/accounts/{accountId}/invitations", CreateAsync).RequireAdmin(AdminAccess.ManageAccount).WithTags("People").WithName("CreateInvitation")
            .WithSummary("Invite a person into the account's console; the response carries the one-time link (admin:keys:manage for one's own account).");
    }

    private static async Task<Created<CreatedInvitationResponse>> CreateAsync(
        string accountId, CreateInvitationBody body, AdminCaller caller, InvitationService invitations, CancellationToken cancellationToken)
    {
        var created = await invitations.CreateAsync(accountId, body.Email ?? throw new InvalidFieldException("email", "An invitation needs an email address."),
            body.Role ?? throw new InvalidFieldException("role", "An invitation needs a role: administrator or member."), caller.Actor, cancellationToken);
        return TypedResults.Created($"/admin/v1/accounts/{accountId}/invitations/{created.Invitation.Id}",
            new CreatedInvitationResponse(created.Invitation, created.Link,
                $"Send this link to {created.Invitation.Email} yourself; it works once, until {created.Invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC, and is not shown again."));
    }
}
