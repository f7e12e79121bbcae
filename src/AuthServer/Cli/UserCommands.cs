using System.CommandLine;
using AuthServer.Users;

namespace AuthServer.Cli;

internal static class UserCommands
{
    public static Command Create(CliSession session)
    {
        var users = new Command("users", "People who use the console.");

        var account = new Option<string>("--account") { Description = "The account to invite into.", Required = true };
        var email = new Option<string>("--email") { Description = "The person's email address.", Required = true };
        var role = new Option<MemberRole>("--role") { Description = "administrator (manages keys and members) or member (sees keys).", Required = true };
        var invite = new Command("invite", "Invite a person into an account; prints a one-time link to send them.") { account, email, role };
        session.Bind(invite, async run =>
        {
            var created = await run.Get<InvitationService>().CreateAsync(
                run.Parse.GetRequiredValue(account), run.Parse.GetRequiredValue(email), run.Parse.GetRequiredValue(role), CliSession.Operator, run.CancellationToken);
            run.Print(created, o =>
            {
                o.WriteLine($"Invited {created.Invitation.Email} as {created.Invitation.Role.ToString().ToLowerInvariant()} of {created.Invitation.AccountId}.");
                o.WriteLine($"Send them this link; it works once, until {TextTable.Time(created.Invitation.ExpiresAt)}, and is not shown again:");
                o.WriteLine(created.Link);
                if (created.Link.StartsWith('/'))
                {
                    o.WriteLine("(Set Users:PublicUrl, e.g. https://auth.example.com, for a full link.)");
                }
            });
        });

        var operatorEmail = new Option<string>("--email") { Description = "The person's email address (they must have accepted an invitation).", Required = true };
        var grantOperator = new Command("grant-operator", "Make a person an operator: in the console they manage every account.") { operatorEmail };
        session.Bind(grantOperator, async run =>
        {
            var who = run.Parse.GetRequiredValue(operatorEmail);
            await run.Get<OperatorService>().GrantAsync(who, CliSession.Operator, run.CancellationToken);
            run.Print(new { email = who, role = PeopleSetup.OperatorRole }, o => o.WriteLine($"{who} is an operator."));
        });

        users.Add(invite);
        users.Add(grantOperator);
        return users;
    }
}
