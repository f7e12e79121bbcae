using System.Net;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary><c>keys limits</c> and <c>keys create --tokens-per-minute/--allow</c>, as an operator uses them; bad input is one line and a non-zero exit.</summary>
public sealed class CliKeyLimitsTests(TestWorld world) : IClassFixture<TestWorld>
{
    [Fact]
    public async Task An_operator_creates_a_key_with_limits_and_changes_one_limit_leaving_the_other()
    {
        var created = await RunJson("keys", "create", "--account", world.Acme.Id, "--scope", "invoices:read", "--tokens-per-minute", "50", "--allow", "203.0.113.0/24", "--json");
        var keyId = created.GetProperty("key").GetProperty("keyId").GetString()!;
        var secret = created.GetProperty("secret").GetString()!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await world.Http.RequestTokenFromAsync("198.51.100.1", keyId, secret)).StatusCode);

        var changed = await Run("keys", "limits", keyId, "--allow", "198.51.100.0/24", "--allow", "2001:db8::/32");

        Assert.Equal(0, changed.Code);
        Assert.Contains("50 token requests per minute", changed.Out);
        Assert.Contains("198.51.100.0/24 2001:db8::/32", changed.Out);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenFromAsync("198.51.100.1", keyId, secret)).StatusCode);
        var cleared = await Run("keys", "limits", keyId, "--default-rate", "--any-address");
        Assert.Contains("the server's limit", cleared.Out);
        Assert.Contains("addresses: any", cleared.Out);
    }

    [Theory]
    [InlineData("--allow", "", "entry is empty")]
    [InlineData("--allow", "10.0.0.0/33", "prefix length")]
    [InlineData("--allow", "fe80::1%eth0", "not an IP address")]
    [InlineData("--tokens-per-minute", "0", "1 to 100000")]
    [InlineData("--tokens-per-minute", "-3", "1 to 100000")]
    [InlineData("--tokens-per-minute", "99999999999", "99999999999")]
    public async Task Bad_limits_are_one_readable_line_and_a_non_zero_exit(string option, string value, string messagePart)
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);

        var result = await Run("keys", "limits", key.Key.KeyId, option, value);

        Assert.NotEqual(0, result.Code);
        Assert.Single(result.Err.Trim().Split('\n'));
        Assert.Contains(messagePart, result.Err);
    }

    [Fact]
    public async Task An_unknown_key_id_with_a_newline_in_it_is_still_one_line()
    {
        var result = await Run("keys", "limits", "ak_nosuchkey\nsecond line", "--tokens-per-minute", "5");

        Assert.NotEqual(0, result.Code);
        Assert.Single(result.Err.Trim().Split('\n'));
        Assert.StartsWith("error: ", result.Err);
    }

    private Task<JsonElement> RunJson(params string[] args) => CliInProcess.RunJsonAsync(world.Services, args);

    private Task<(int Code, string Out, string Err)> Run(params string[] args) => CliInProcess.RunAsync(world.Services, args);
}
