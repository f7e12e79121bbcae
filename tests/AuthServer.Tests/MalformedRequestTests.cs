using System.Net;
using System.Text;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>Each malformed request at the OAuth endpoints gets an RFC 6749 JSON error with the right status, never a 5xx.</summary>
public sealed class MalformedRequestTests(TestWorld world) : IClassFixture<TestWorld>
{
    private const string Form = "application/x-www-form-urlencoded";

    /// <summary>{KEY}, {SECRET}, {RS}, {RS_SECRET}, {TOKEN} are replaced with real values.</summary>
    public static TheoryData<string, string, string, string?, string?, string?, int, string> Cases => new()
    {
        // name, method, path, content type, body, Authorization header, status, error
        { "no body", "POST", "/connect/token", null, null, "BASIC", 400, "invalid_request" },
        { "GET", "GET", "/connect/token?grant_type=client_credentials", null, null, "BASIC", 400, "invalid_request" },
        { "PUT", "PUT", "/connect/token", Form, "grant_type=client_credentials", "BASIC", 400, "invalid_request" },
        { "DELETE", "DELETE", "/connect/token", null, null, "BASIC", 400, "invalid_request" },
        { "PATCH", "PATCH", "/connect/token", Form, "grant_type=client_credentials", "BASIC", 400, "invalid_request" },
        { "JSON body", "POST", "/connect/token", "application/json", "{\"grant_type\":\"client_credentials\"}", "BASIC", 400, "invalid_request" },
        { "text body", "POST", "/connect/token", "text/plain", "grant_type=client_credentials", "BASIC", 400, "invalid_request" },
        { "multipart body", "POST", "/connect/token", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials\r\n--x--", "BASIC", 400, "invalid_request" },
        { "missing grant_type", "POST", "/connect/token", Form, "scope=invoices:read", "BASIC", 400, "invalid_request" },
        { "unknown grant_type", "POST", "/connect/token", Form, "grant_type=magic", "BASIC", 400, "unsupported_grant_type" },
        { "repeated grant_type", "POST", "/connect/token", Form, "grant_type=client_credentials&grant_type=client_credentials", "BASIC", 400, "invalid_request" },
        { "repeated client_id", "POST", "/connect/token", Form, "grant_type=client_credentials&client_id={KEY}&client_id={KEY}&client_secret={SECRET}", null, 400, "invalid_request" },
        { "credentials in header and body", "POST", "/connect/token", Form, "grant_type=client_credentials&client_id={KEY}&client_secret={SECRET}", "BASIC", 400, "invalid_request" },
        { "Basic not base64", "POST", "/connect/token", Form, "grant_type=client_credentials", "Basic !!!not-base64!!!", 400, "invalid_request" },
        { "Basic without colon", "POST", "/connect/token", Form, "grant_type=client_credentials", "Basic " + B64("no-colon-here"), 400, "invalid_request" },
        { "Basic with empty parts", "POST", "/connect/token", Form, "grant_type=client_credentials", "Basic " + B64(":"), 401, "invalid_client" },
        { "Basic with empty secret", "POST", "/connect/token", Form, "grant_type=client_credentials", "Basic " + B64("{KEY}:"), 401, "invalid_client" },
        { "Basic not UTF-8", "POST", "/connect/token", Form, "grant_type=client_credentials", "Basic " + Convert.ToBase64String([0xff, 0xfe, 0x3a, 0xc3, 0x28]), 401, "invalid_client" },
        { "Bearer instead of Basic", "POST", "/connect/token", Form, "grant_type=client_credentials", "Bearer abc", 401, "invalid_client" },
        { "over-long client_id", "POST", "/connect/token", Form, "grant_type=client_credentials&client_id=" + new string('a', 10_000) + "&client_secret={SECRET}", null, 401, "invalid_client" },
        { "over-long secret", "POST", "/connect/token", Form, "grant_type=client_credentials&client_id={KEY}&client_secret=" + new string('a', 10_000), null, 401, "invalid_client" },
        { "NUL in client_id", "POST", "/connect/token", Form, "grant_type=client_credentials&client_id=ak_%00&client_secret={SECRET}", null, 400, "invalid_request" },
        { "control characters in scope", "POST", "/connect/token", Form, "grant_type=client_credentials&scope=invoices%01read%7F", "BASIC", 400, "invalid_request" },
        { "NUL in grant_type", "POST", "/connect/token", Form, "grant_type=client_credentials%00", "BASIC", 400, "invalid_request" },
        { "raw NUL byte", "POST", "/connect/token", Form, "grant_type=client_credentials\u0000", "BASIC", 400, "invalid_request" },
        { "invalid UTF-8 in the form", "POST", "/connect/token", Form, "grant_type=client_credentials&scope=%C3%28", "BASIC", 400, "invalid_scope" },
        { "invalid percent-encoding", "POST", "/connect/token", Form, "grant_type=client_credentials&scope=%zz%", "BASIC", 400, "invalid_scope" },
        { "body over the limit", "POST", "/connect/token", Form, "grant_type=client_credentials&x=" + new string('x', 20_000), "BASIC", 413, "invalid_request" },
        { "introspection without token", "POST", "/connect/introspect", Form, "", "RS", 400, "invalid_request" },
        { "introspection GET", "GET", "/connect/introspect?token={TOKEN}", null, null, "RS", 400, "invalid_request" },
        { "introspection without credentials", "POST", "/connect/introspect", Form, "token={TOKEN}", null, 401, "invalid_client" },
        { "introspection with a key's credentials", "POST", "/connect/introspect", Form, "token={TOKEN}", "BASIC", 400, "unauthorized_client" },
        { "introspection with credentials twice", "POST", "/connect/introspect", Form, "token={TOKEN}&client_id={RS}&client_secret={RS_SECRET}", "RS", 400, "invalid_request" },
        { "introspection JSON body", "POST", "/connect/introspect", "application/json", "{\"token\":\"x\"}", "RS", 400, "invalid_request" },
        { "introspection body over the limit", "POST", "/connect/introspect", Form, "token=" + new string('x', 20_000), "RS", 413, "invalid_request" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_malformed_request_gets_a_standard_json_error(
        string name, string method, string path, string? contentType, string? body, string? authorization, int status, string error)
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var token = await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        string Fill(string text) => text
            .Replace("{KEY}", key.Key.KeyId, StringComparison.Ordinal)
            .Replace("{SECRET}", key.Secret, StringComparison.Ordinal)
            .Replace("{RS_SECRET}", world.Invoices.ClientSecret, StringComparison.Ordinal)
            .Replace("{RS}", world.Invoices.ClientId, StringComparison.Ordinal)
            .Replace("{TOKEN}", token, StringComparison.Ordinal);

        using var request = new HttpRequestMessage(new HttpMethod(method), Fill(path));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Fill(body)));
        }

        if (contentType is not null)
        {
            request.Content ??= new ByteArrayContent([]);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        var header = authorization switch
        {
            null => null,
            "BASIC" => OAuth.BasicCredentials(key.Key.KeyId, key.Secret).ToString(),
            "RS" => OAuth.BasicCredentials(world.Invoices.ClientId, world.Invoices.ClientSecret).ToString(),
            _ => Fill(authorization),
        };
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", header);
        }

        using var response = await world.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode == status, $"{name}: expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Equal(error, json.GetProperty("error").GetString());
        Assert.DoesNotContain(key.Secret, text);
        Assert.DoesNotContain(" at ", json.GetProperty("error_description").GetString() ?? "");
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
