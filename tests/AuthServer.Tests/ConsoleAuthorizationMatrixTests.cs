using AuthServer.ApiKeys;
using System.Net;
using System.Reflection;
using AuthServer.Console;
using AuthServer.Tests.Infrastructure;
using AuthServer.Users;

namespace AuthServer.Tests;

/// <summary>
/// Every console account page and form handler × every kind of person, from one table: members read, only
/// administrators (and operators) change, people of another account get 404, visitors are sent to sign in. Forged posts carry the
/// poster's own valid antiforgery token, so only the access rule can refuse them. A handler missing from the table
/// fails <see cref="Every_console_handler_is_in_the_table"/>.
/// </summary>
public sealed class ConsoleAuthorizationMatrixTests(ConsoleAuthorizationMatrixTests.World world) : IClassFixture<ConsoleAuthorizationMatrixTests.World>
{
    public enum Person
    {
        Visitor,
        Member,
        Administrator,
        OtherAccountAdministrator,
        Operator,
    }

    public sealed class World : TestWorld
    {
        public Dictionary<Person, ConsoleClient> People { get; } = [];

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            var other = await CreateAccountAsync("Other Inc");
            People[Person.Visitor] = ConsoleClient.For(this);
            People[Person.Member] = await ConsoleClient.For(this).JoinAsync(this, Acme.Id, "member@acme.test", MemberRole.Member);
            People[Person.Administrator] = await ConsoleClient.For(this).JoinAsync(this, Acme.Id, "admin@acme.test", MemberRole.Administrator);
            People[Person.OtherAccountAdministrator] = await ConsoleClient.For(this).JoinAsync(this, other.Id, "admin@other.test", MemberRole.Administrator);
            People[Person.Operator] = await ConsoleClient.For(this).JoinAsync(this, other.Id, "operator@other.test", MemberRole.Member);
            await Provision.InScope<OperatorService, bool>(async operators =>
            {
                await operators.GrantAsync("operator@other.test", Provisioning.TestActor, CancellationToken.None);
                return true;
            });
        }

        public override async Task DisposeAsync()
        {
            foreach (var person in People.Values)
            {
                person.Dispose();
            }

            await base.DisposeAsync();
        }

        public async Task<string> FreshKeyAsync() => (await CreateKeyAsync(["invoices:read"], DateTime.UtcNow.AddDays(30), name: "matrix key")).Key.KeyId;

        /// <summary>A fresh key with browser mode on, so that every browser-mode handler has something to change.</summary>
        public async Task<string> FreshBrowserKeyAsync()
        {
            var keyId = await FreshKeyAsync();
            await Provision.SetAllowedOriginsAsync(keyId, "https://app.example.com");
            return keyId;
        }

        public async Task<string> FreshRolledKeyAsync()
        {
            var keyId = await FreshKeyAsync();
            await Provision.InScope<KeySecretRoller, RolledApiKey>(roller =>
                roller.RollAsync(AuthServer.Accounts.AccountScope.Every, keyId, TimeSpan.FromHours(1), TestWorld.TestActor, CancellationToken.None));
            return keyId;
        }

        public async Task<string> FreshWebhookAsync(string? description = null) =>
            (await Provision.InScope<AuthServer.Webhooks.WebhookService, AuthServer.Webhooks.CreatedWebhookEndpoint>(service => service.CreateAsync(
                Acme.Id, new("https://93.184.216.34/hooks", ["*"], description), TestWorld.TestActor, CancellationToken.None))).Endpoint.Id;

        /// <summary>One endpoint for the rows that leave it in place, so the table stays under an account's endpoint limit.</summary>
        public async Task<string> SharedWebhookAsync() =>
            (await Provision.InScope<AuthServer.Webhooks.WebhookService, IReadOnlyList<AuthServer.Webhooks.WebhookEndpointView>>(service => service.ListAsync(Acme.Id, CancellationToken.None)))
                .FirstOrDefault(e => e.Description == "matrix")?.Id ?? await FreshWebhookAsync("matrix");

        /// <summary>The shared endpoint and one of its deliveries (a fresh key is an event).</summary>
        public async Task<(string WebhookId, long DeliveryId)> DeliveryAsync()
        {
            var webhookId = await SharedWebhookAsync();
            await FreshKeyAsync();
            var page = await Provision.InScope<AuthServer.Webhooks.WebhookService, AuthServer.Data.Page<AuthServer.Webhooks.WebhookDeliveryView>>(service =>
                service.DeliveriesAsync(Acme.Id, webhookId, 0, 1, CancellationToken.None));
            return (webhookId, page.Items[0].Id);
        }

        public async Task<string> FreshMemberAsync()
        {
            var email = $"m{Guid.NewGuid():N}"[..10] + "@acme.test";
            using (await ConsoleClient.For(this).JoinAsync(this, Acme.Id, email, MemberRole.Member))
            {
            }

            return (await Provision.InScope<MembershipService, IReadOnlyList<MemberView>>(m => m.ListAsync(Acme.Id, CancellationToken.None))).Single(m => m.Email == email).UserId;
        }
    }

    /// <param name="Page">The page's class; <param name="Handler">the handler ("" for the page's own GET or POST).</param></param>
    private sealed record Row(Type Page, string Method, string Handler, Func<World, Task<(string Path, Dictionary<string, string> Fields)>> Request);

    private static string Acme(World w, string rest) => $"/console/accounts/{w.Acme.Id}/{rest}";

    private static readonly Row[] Table =
    [
        new(typeof(Console.Pages.KeysModel), "GET", "", w => Get(Acme(w, "keys"))),
        new(typeof(Console.Pages.KeysModel), "POST", "Rename", async w => (Acme(w, "keys?handler=Rename"), new() { ["keyId"] = await w.FreshKeyAsync(), ["name"] = "forged" })),
        new(typeof(Console.Pages.KeysModel), "POST", "Refresh", async w => (Acme(w, "keys?handler=Refresh"), new() { ["keyId"] = await w.FreshKeyAsync(), ["days"] = "30" })),
        new(typeof(Console.Pages.KeysModel), "POST", "DirectUse", async w => (Acme(w, "keys?handler=DirectUse"), new() { ["keyId"] = await w.FreshKeyAsync(), ["allow"] = "false" })),
        new(typeof(Console.Pages.NewKeyModel), "GET", "", w => Get(Acme(w, "keys/new"))),
        new(typeof(Console.Pages.NewKeyModel), "POST", "", w => Task.FromResult((Acme(w, "keys/new"), new Dictionary<string, string> { ["Name"] = "forged", ["Scopes"] = "invoices:read" }))),
        new(typeof(Console.Pages.RevokeModel), "GET", "", async w => (Acme(w, $"keys/{await w.FreshKeyAsync()}/revoke"), [])),
        new(typeof(Console.Pages.RevokeModel), "POST", "", async w => (Acme(w, $"keys/{await w.FreshKeyAsync()}/revoke"), new() { ["ConfirmName"] = "matrix key" })),
        new(typeof(Console.Pages.LimitsModel), "GET", "", async w => (Acme(w, $"keys/{await w.FreshKeyAsync()}/limits"), [])),
        new(typeof(Console.Pages.LimitsModel), "POST", "", async w => (Acme(w, $"keys/{await w.FreshKeyAsync()}/limits"), new() { ["TokensPerMinute"] = "60", ["AllowedAddresses"] = "10.0.0.0/8" })),
        new(typeof(Console.Pages.RollModel), "GET", "", async w => (Acme(w, $"keys/{await w.FreshKeyAsync()}/roll"), [])),
        new(typeof(Console.Pages.RollModel), "POST", "", async w => (Acme(w, $"keys/{await w.FreshKeyAsync()}/roll"), new() { ["Grace"] = "24" })),
        new(typeof(Console.Pages.RollModel), "POST", "EndGrace", async w => (Acme(w, $"keys/{await w.FreshRolledKeyAsync()}/roll?handler=EndGrace"), [])),
        new(typeof(Console.Pages.BrowserModeModel), "GET", "", async w => (Acme(w, $"keys/{await w.FreshBrowserKeyAsync()}/browser"), [])),
        new(typeof(Console.Pages.BrowserModeModel), "POST", "Origins", async w => (Acme(w, $"keys/{await w.FreshKeyAsync()}/browser?handler=Origins"), new() { ["Origins"] = "https://forged.example.com" })),
        new(typeof(Console.Pages.BrowserModeModel), "POST", "Regenerate", async w => (Acme(w, $"keys/{await w.FreshBrowserKeyAsync()}/browser?handler=Regenerate"), [])),
        new(typeof(Console.Pages.BrowserModeModel), "POST", "SigningSecret", async w => (Acme(w, $"keys/{await w.FreshBrowserKeyAsync()}/browser?handler=SigningSecret"), [])),
        new(typeof(Console.Pages.BrowserModeModel), "POST", "Remove", async w => (Acme(w, $"keys/{await w.FreshBrowserKeyAsync()}/browser?handler=Remove"), [])),
        new(typeof(Console.Pages.MembersModel), "GET", "", w => Get(Acme(w, "members"))),
        new(typeof(Console.Pages.MembersModel), "POST", "Invite", w => Task.FromResult((Acme(w, "members?handler=Invite"), new Dictionary<string, string> { ["email"] = "forged@acme.test", ["role"] = "Administrator" }))),
        new(typeof(Console.Pages.MembersModel), "POST", "Role", async w => (Acme(w, "members?handler=Role"), new() { ["userId"] = await w.FreshMemberAsync(), ["role"] = "Administrator" })),
        new(typeof(Console.Pages.MembersModel), "POST", "Remove", async w => (Acme(w, "members?handler=Remove"), new() { ["userId"] = await w.FreshMemberAsync() })),
        new(typeof(Console.Pages.AuditModel), "GET", "", w => Get(Acme(w, "audit"))),
        new(typeof(Console.Pages.WebhooksModel), "GET", "", w => Get(Acme(w, "webhooks"))),
        new(typeof(Console.Pages.WebhooksModel), "POST", "", w => Task.FromResult((Acme(w, "webhooks"), new Dictionary<string, string> { ["url"] = "https://93.184.216.34/forged", ["eventTypes"] = "key.revoked" }))),
        new(typeof(Console.Pages.WebhooksModel), "POST", "Enabled", async w => (Acme(w, "webhooks?handler=Enabled"), new() { ["webhookId"] = await w.FreshWebhookAsync(), ["enabled"] = "false" })),
        new(typeof(Console.Pages.WebhooksModel), "POST", "Remove", async w => (Acme(w, "webhooks?handler=Remove"), new() { ["webhookId"] = await w.FreshWebhookAsync() })),
        new(typeof(Console.Pages.WebhookDeliveriesModel), "GET", "", async w => (Acme(w, $"webhooks/{await w.SharedWebhookAsync()}"), [])),
        new(typeof(Console.Pages.WebhookDeliveriesModel), "POST", "Redeliver", async w =>
        {
            var (webhookId, deliveryId) = await w.DeliveryAsync();
            return (Acme(w, $"webhooks/{webhookId}?handler=Redeliver"), new() { ["deliveryId"] = deliveryId.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }),
    ];

    private static Task<(string, Dictionary<string, string>)> Get(string path) => Task.FromResult((path, new Dictionary<string, string>()));

    public static TheoryData<int, Person> Cases()
    {
        var cases = new TheoryData<int, Person>();
        for (var row = 0; row < Table.Length; row++)
        {
            foreach (var person in Enum.GetValues<Person>())
            {
                cases.Add(row, person);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_person_gets_what_their_role_allows(int row, Person person)
    {
        var (page, method, _, request) = Table[row];
        var client = world.People[person];
        var (path, fields) = await request(world);
        var basePath = path.Split('?')[0];

        HttpResponseMessage response;
        if (method == "GET")
        {
            response = await client.GetAsync(path);
        }
        else
        {
            // The poster's own token, from a page they may open (their own account list), so that only the access rule decides.
            var token = person == Person.Visitor ? null : await client.AntiforgeryTokenAsync("/console/sign-out");
            response = await client.PostAsync(path, fields, token);
        }

        var status = (int)response.StatusCode;
        switch (person)
        {
            case Person.Visitor:
                Assert.True(status is 302 or 400, $"{method} {basePath}: {status}");
                if (status == 302)
                {
                    Assert.Contains("/console/sign-in", response.Headers.Location!.ToString());
                }

                break;
            case Person.OtherAccountAdministrator:
                Assert.Equal(404, status);
                break;
            case Person.Member:
                Assert.Equal(method == "GET" ? 200 : 403, status);
                break;
            default:
                Assert.True(status is 200 or 400 or 409, $"{page.Name} {method}: {status}");
                break;
        }
    }

    [Fact]
    public void Every_console_handler_is_in_the_table()
    {
        var handlers = typeof(AccountPageModel).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(AccountPageModel)) && !t.IsAbstract)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => m.Name.StartsWith("OnGet", StringComparison.Ordinal) || m.Name.StartsWith("OnPost", StringComparison.Ordinal))
                .Select(m => (t, Method: m.Name.StartsWith("OnGet", StringComparison.Ordinal) ? "GET" : "POST",
                    Handler: m.Name.Replace("OnGet", "").Replace("OnPost", "").Replace("Async", ""))))
            .ToList();
        Assert.NotEmpty(handlers);
        foreach (var (type, method, handler) in handlers)
        {
            Assert.True(Table.Any(r => r.Page == type && r.Method == method && r.Handler == handler), $"{type.Name} {method} {handler} is not in the table");
        }
    }
}
