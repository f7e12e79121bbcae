using AuthServer.Users;
using Microsoft.AspNetCore.Mvc;

namespace AuthServer.Console.Pages;

/// <summary>The account's members and open invitations; administrators invite, change roles and remove.</summary>
public sealed class MembersModel(MembershipService memberships, InvitationService invitations) : AccountPageModel
{
    public IReadOnlyList<MemberView> Members { get; private set; } = [];

    public IReadOnlyList<InvitationView> OpenInvitations { get; private set; } = [];

    /// <summary>An invitation just made: its link is shown in this response only.</summary>
    public CreatedInvitation? Invited { get; private set; }

    public string? Done { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostInviteAsync(string? email, MemberRole role, CancellationToken cancellationToken) =>
        ActAsync(async () => Invited = await invitations.CreateAsync(AccountId, email ?? "", role, Actor, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostRoleAsync(string userId, MemberRole role, CancellationToken cancellationToken) =>
        ActAsync(async () =>
        {
            await memberships.ChangeRoleAsync(AccountId, userId, role, Actor, cancellationToken);
            Done = $"The role is now {RoleText.Of(role).ToLowerInvariant()}; it applies from that person's next request.";
        }, cancellationToken);

    public Task<IActionResult> OnPostRemoveAsync(string userId, CancellationToken cancellationToken) =>
        ActAsync(async () =>
        {
            await memberships.RemoveAsync(AccountId, userId, Actor, cancellationToken);
            Done = "Removed from the account; it applies from that person's next request.";
        }, cancellationToken);

    private Task<IActionResult> ActAsync(Func<Task> action, CancellationToken cancellationToken) =>
        ChangeThenShowAsync(action, () => LoadAsync(cancellationToken));

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Members = await memberships.ListAsync(AccountId, cancellationToken);
        OpenInvitations = await invitations.ListOpenAsync(AccountId, cancellationToken);
    }
}
