using System.Net;
using System.Text.RegularExpressions;
using AuthServer.Users;

namespace AuthServer.Tests.Infrastructure;

/// <summary>A person at the console over HTTP: its own cookies, forms posted with the antiforgery token of the page they are on.</summary>
public sealed partial class ConsoleClient(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    public static ConsoleClient For(TestWorld world) => new(world.Factory.CreateHttpsClient());

    /// <summary>Invites <paramref name="email"/> through the same service the CLI and the admin API use; returns the link's path and query.</summary>
    public static async Task<string> InviteAsync(TestWorld world, string accountId, string email, MemberRole role) =>
        new Uri(new Uri("https://localhost"), (await world.Provision.InScope<InvitationService, CreatedInvitation>(
            invitations => invitations.CreateAsync(accountId, email, role, TestWorld.TestActor, CancellationToken.None))).Link).PathAndQuery;

    /// <summary>Invites, accepts with a password and leaves this client signed in.</summary>
    public async Task<ConsoleClient> JoinAsync(TestWorld world, string accountId, string email, MemberRole role, string password = "correct horse battery")
    {
        var link = await InviteAsync(world, accountId, email, role);
        var accepted = await SubmitAsync(link, link, new() { ["DisplayName"] = email.Split('@')[0], ["Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        return this;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(path);

    public async Task<string> PageAsync(string path)
    {
        var response = await Http.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Opens <paramref name="formPage"/> for its antiforgery token, then posts <paramref name="fields"/> to <paramref name="action"/>.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string formPage, string action, Dictionary<string, string> fields) =>
        await PostAsync(action, fields, await AntiforgeryTokenAsync(formPage));

    public async Task<string> AntiforgeryTokenAsync(string formPage)
    {
        var token = AntiforgeryField().Match(await Http.GetStringAsync(formPage));
        Assert.True(token.Success, $"{formPage} has no antiforgery field");
        return token.Groups[1].Value;
    }

    public Task<HttpResponseMessage> PostAsync(string action, Dictionary<string, string> fields, string? antiforgery = null)
    {
        var body = fields.Select(f => KeyValuePair.Create(f.Key, f.Value)).ToList();
        if (antiforgery is not null)
        {
            body.Add(KeyValuePair.Create("__csrf", antiforgery));
        }

        return Http.PostAsync(action, new FormUrlEncodedContent(body));
    }

    public static async Task<string> TextOfAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
