using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>
/// Thousands of random and mutated requests at the OAuth endpoints (seeded, so a failure can be replayed,
/// and bounded in time): never a 5xx, always a JSON error or a success of the expected shape, and the server
/// still serves a valid request afterwards.
/// </summary>
public sealed class FuzzTests(TestWorld world) : IClassFixture<TestWorld>
{
    private const int Seed = 20261126;
    private const int Requests = 3000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    private static readonly string[] Names =
        ["grant_type", "client_id", "client_secret", "scope", "token", "token_type_hint", "resource", "audience", "username", "x"];

    private static readonly string[] Methods = ["POST", "POST", "POST", "POST", "POST", "POST", "GET", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"];

    private static readonly string?[] ContentTypes =
    [
        "application/x-www-form-urlencoded", "application/x-www-form-urlencoded", "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=utf-8", "application/json", "text/plain", "multipart/form-data; boundary=zz",
        null, "application/x-www-form-urlencoded; charset=latin1", "garbage/\u0001",
    ];

    [Fact]
    public async Task Random_and_mutated_requests_never_break_the_server()
    {
        var key = await world.CreateKeyAsync(["invoices:read", "reports:read"]);
        var token = await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        var values = new[]
        {
            "client_credentials", "password", "refresh_token", key.Key.KeyId, key.Secret, world.Invoices.ClientId,
            world.Invoices.ClientSecret, "invoices:read", "invoices:read reports:read", "nope", token, "access_token", "",
        };
        var random = new Random(Seed);
        var clock = Stopwatch.StartNew();
        var sent = 0;

        for (; sent < Requests && clock.Elapsed < Budget; sent++)
        {
            using var request = Build(random, values);
            var description = $"request {sent} (seed {Seed}): {request.Method} {request.RequestUri}";
            using var response = await world.Http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();

            Assert.True((int)response.StatusCode < 500, $"{description} → {(int)response.StatusCode} {body}");
            if (request.Method == HttpMethod.Head || body.Length == 0)
            {
                continue;
            }

            Assert.True(response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) == true, $"{description} → not JSON: {body}");
            var json = JsonDocument.Parse(body).RootElement;
            Assert.True(
                json.TryGetProperty("error", out _) || json.TryGetProperty("access_token", out _) || json.TryGetProperty("active", out _),
                $"{description} → unexpected shape: {body}");
        }

        Assert.True(sent >= 500, $"only {sent} requests were sent within {Budget}");
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        Assert.True((await world.Http.IntrospectAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, token)).GetProperty("active").GetBoolean());
    }

    private static HttpRequestMessage Build(Random random, string[] values)
    {
        var path = random.Next(2) == 0 ? "/connect/token" : "/connect/introspect";
        var parameters = Enumerable.Range(0, random.Next(0, 7))
            .Select(_ => (Pick(random, Names), Value(random, values)))
            .ToList();
        var form = string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Item1)}={Encode(random, p.Item2)}"));
        var bytes = Mutate(random, Encoding.UTF8.GetBytes(form));

        var method = Pick(random, Methods);
        var request = new HttpRequestMessage(new HttpMethod(method), method == "GET" ? $"{path}?{form}" : path);
        if (method is not "GET" and not "HEAD")
        {
            request.Content = new ByteArrayContent(bytes);
            if (Pick(random, ContentTypes) is { } contentType)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        if (random.Next(3) > 0)
        {
            request.Headers.TryAddWithoutValidation("Authorization", Authorization(random, values));
        }

        return request;
    }

    private static string Authorization(Random random, string[] values) => random.Next(6) switch
    {
        0 => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Value(random, values)}:{Value(random, values)}")),
        1 => "Basic " + Convert.ToBase64String(RandomBytes(random, random.Next(0, 40))),
        2 => "Basic " + Value(random, values),
        3 => "Bearer " + Value(random, values),
        4 => Value(random, values),
        _ => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Value(random, values))),
    };

    private static string Value(Random random, string[] values) => random.Next(8) switch
    {
        0 => new string('a', random.Next(100, 5000)),
        1 => new string(Enumerable.Range(0, random.Next(1, 20)).Select(_ => (char)random.Next(0, 0x3000)).ToArray()),
        2 => Truncate(Pick(random, values), random.Next(0, 60)),
        _ => Pick(random, values),
    };

    private static string Truncate(string value, int length) => value[..Math.Min(value.Length, length)];

    private static string Encode(Random random, string value) => random.Next(10) switch
    {
        0 => value, // raw, possibly invalid in a form
        1 => "%" + random.Next(0, 256).ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + "%zz",
        _ => Uri.EscapeDataString(value),
    };

    private static byte[] Mutate(Random random, byte[] body)
    {
        switch (random.Next(8))
        {
            case 0 when body.Length > 0:
                body[random.Next(body.Length)] = (byte)random.Next(256);
                return body;
            case 1 when body.Length > 0:
                return body[..random.Next(body.Length)];
            case 2:
                return [.. body, (byte)'&', .. body];
            case 3:
                return RandomBytes(random, random.Next(0, 200));
            case 4:
                return [.. body, .. Encoding.UTF8.GetBytes("&pad=" + new string('p', random.Next(1000, 20000)))];
            default:
                return body;
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];
}
