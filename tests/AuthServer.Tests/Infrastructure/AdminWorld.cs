using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using AuthServer.Accounts;
using AuthServer.Admin;

namespace AuthServer.Tests.Infrastructure;

/// <summary>The test world plus admin keys: an operator, Acme's administrator and viewer, and another account's administrator.</summary>
public class AdminWorld : TestWorld
{
    public AdminWorld()
    {
    }

    protected AdminWorld(IDictionary<string, string?> settings) : base(settings)
    {
    }

    public AccountView Other { get; private set; } = null!;

    public string OperatorToken { get; private set; } = null!;

    public string AdministratorToken { get; private set; } = null!;

    public string ViewerToken { get; private set; } = null!;

    public string OtherAdministratorToken { get; private set; } = null!;

    /// <summary>A viewer token whose key expires five seconds after start-up (and the token with it).</summary>
    public string ExpiringToken { get; private set; } = null!;

    public DateTime ExpiringTokenExpiresAt { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Other = await CreateAccountAsync("Other", keyLimit: 1000);
        var operators = await CreateAccountAsync("Operators", keyLimit: 1000);
        OperatorToken = await TokenForAsync([AdminScopes.Operator], operators.Id);
        AdministratorToken = await TokenForAsync([AdminScopes.ManageKeys], Acme.Id);
        ViewerToken = await TokenForAsync([AdminScopes.ReadKeys], Acme.Id);
        OtherAdministratorToken = await TokenForAsync([AdminScopes.ManageKeys], Other.Id);
        ExpiringTokenExpiresAt = DateTime.UtcNow.AddSeconds(5);
        ExpiringToken = await TokenForAsync([AdminScopes.ReadKeys], Acme.Id, ExpiringTokenExpiresAt);
    }

    public async Task<string> TokenForAsync(string[] scopes, string accountId, DateTime? expiresAt = null)
    {
        var key = await CreateKeyAsync(scopes, expiresAt, accountId);
        return await Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
    }

    public Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, string? token, object? body = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        request.Content = body switch
        {
            null => null,
            string raw => new StringContent(raw, Encoding.UTF8, "application/json"),
            _ => JsonContent.Create(body),
        };
        return Http.SendAsync(request);
    }
}
