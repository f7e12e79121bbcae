using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AuthServer.Clients;
using AuthServer.Secrets;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>
/// A client ID with a control character (here a NUL, sent as <c>%00</c> in HTTP Basic credentials) is malformed
/// credentials on every provider: 401 <c>invalid_client</c> like any bad credential, counted by the brute-force
/// throttle, and never sent to the database (PostgreSQL refuses NUL in text and reported an outage).
/// </summary>
public abstract class ControlCharacterCredentialsTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : TestWorld
{
    [Fact]
    public async Task A_nul_in_the_client_id_is_invalid_client_throttled_and_never_reaches_the_database()
    {
        var address = "198.51.100." + Random.Shared.Next(1, 250);
        var logsBefore = world.Factory.Logs.Lines.Count;
        var statuses = new List<HttpStatusCode>();
        foreach (var path in new[] { "/connect/token", "/connect/introspect", "/connect/token", "/connect/introspect", "/connect/token" })
        {
            using var response = await SendAsync(path, address);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                Assert.Equal("invalid_client", (await response.ReadJsonAsync()).GetProperty("error").GetString());
            }
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        Assert.DoesNotContain(world.Factory.Logs.Lines.Skip(logsBefore), line => line.StartsWith("Error Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
    }

    private Task<HttpResponseMessage> SendAsync(string path, string address)
    {
        var form = path.EndsWith("token", StringComparison.Ordinal)
            ? new Dictionary<string, string> { ["grant_type"] = "client_credentials" }
            : new Dictionary<string, string> { ["token"] = "x" };
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes($"ak_%00x:{ClientSecret.Generate()}")));
        request.Headers.Add(TestRemoteAddress.Header, address);
        return world.Http.SendAsync(request);
    }
}

internal static class ControlCharacterSettings
{
    public static Dictionary<string, string?> Throttled() => new() { ["Throttling:FailuresPerAddress"] = "4" };
}

public sealed class ControlCharacterCredentialsTestsOnSqlite(ControlCharacterCredentialsTestsOnSqlite.World world)
    : ControlCharacterCredentialsTests<ControlCharacterCredentialsTestsOnSqlite.World>(world)
{
    public sealed class World() : TestWorld(ControlCharacterSettings.Throttled());
}

public sealed class ControlCharacterCredentialsTestsOnPostgreSql(ControlCharacterCredentialsTestsOnPostgreSql.World world)
    : ControlCharacterCredentialsTests<ControlCharacterCredentialsTestsOnPostgreSql.World>(world)
{
    public sealed class World() : TestWorld(new Dictionary<string, string?>(PostgresWorld.PostgresSettings(PostgresCluster.Shared).Concat(ControlCharacterSettings.Throttled())));
}
