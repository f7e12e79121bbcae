using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AuthServer.ResourceServer;
using SampleApi.Tests.Infrastructure;

namespace SampleApi.Tests;

[Collection(WithSharedAuthServer.Name)]
public sealed class ScopeTests(ResourceServerWorld world)
{
    private const string NewInvoice = """{"customer":"Globex","amount":120.50,"currency":"EUR"}""";

    [Theory]
    [InlineData(TokenValidationMode.Local)]
    [InlineData(TokenValidationMode.Introspection)]
    public async Task A_read_token_reads_but_writing_is_403_insufficient_scope_naming_the_scope_needed(TokenValidationMode mode)
    {
        var token = await world.AuthServer.TokenAsync("invoices:read");
        var api = world.Api(mode);

        using var read = await api.GetAsync("/invoices", token);
        using var write = await api.PostJsonAsync("/invoices", token, NewInvoice);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        var challenge = write.BearerChallenge();
        Assert.Equal("insufficient_scope", challenge["error"]);
        Assert.Equal("invoices:write", challenge["scope"]);
        Assert.Contains("invoices:write", challenge["error_description"], StringComparison.Ordinal);
        var problem = await write.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("application/problem+json", write.Content.Headers.ContentType?.MediaType);
        Assert.Equal(challenge["error_description"], problem.GetProperty("detail").GetString());
        Assert.Equal("invoices:write", problem.GetProperty("scope").GetString());
    }

    [Theory]
    [InlineData(TokenValidationMode.Local)]
    [InlineData(TokenValidationMode.Introspection)]
    public async Task A_write_only_token_writes_but_cannot_read(TokenValidationMode mode)
    {
        var token = await world.AuthServer.TokenAsync("invoices:write");
        var api = world.Api(mode);

        using var write = await api.PostJsonAsync("/invoices", token, NewInvoice);
        using var read = await api.GetAsync("/invoices", token);
        using var events = await api.GetAsync("/invoices/events", token);

        Assert.Equal(HttpStatusCode.Created, write.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal("invoices:read", read.BearerChallenge()["scope"]);
        Assert.Equal(HttpStatusCode.Forbidden, events.StatusCode);
    }

    [Theory]
    [InlineData(TokenValidationMode.Local)]
    [InlineData(TokenValidationMode.Introspection)]
    public async Task A_named_scope_policy_answers_the_same_way(TokenValidationMode mode)
    {
        var writer = await world.AuthServer.TokenAsync("invoices:write");
        var reader = await world.AuthServer.TokenAsync("invoices:read");
        var api = world.Api(mode);
        using var created = await api.PostJsonAsync("/invoices", writer, NewInvoice);
        var location = created.Headers.Location!.OriginalString;

        using var forbidden = await api.GetAsync(location, writer);
        using var found = await api.GetAsync(location, reader);
        using var missing = await api.GetAsync("/invoices/inv_nosuchinvoice", reader);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("invoices:read", forbidden.BearerChallenge()["scope"]);
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_scope_of_another_api_grants_nothing_here()
    {
        // reports:read alone makes aud = reports-api: refused as not addressed to this API, before any scope check.
        var token = await world.AuthServer.TokenAsync("reports:read");

        using var response = await world.Api(TokenValidationMode.Local).GetAsync("/whoami", token);

        response.AssertInvalidToken();
    }

    [Theory]
    [InlineData(TokenValidationMode.Local)]
    [InlineData(TokenValidationMode.Introspection)]
    public async Task A_scope_is_matched_whole_not_as_a_substring_of_another(TokenValidationMode mode)
    {
        // "invoices:read invoices:write-drafts" contains the text "invoices:write" but not the scope.
        await world.AuthServer.CreateScopeAsync($"invoices:write-drafts-{mode}", LoopbackAuthServer.InvoicesApi);
        var token = await world.AuthServer.TokenAsync("invoices:read", $"invoices:write-drafts-{mode}");

        using var write = await world.Api(mode).PostJsonAsync("/invoices", token, NewInvoice);

        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal("insufficient_scope", write.BearerChallenge()["error"]);
    }

    [Theory]
    [InlineData("""{"customer":"","amount":10,"currency":"EUR"}""", "customer")]
    [InlineData("""{"customer":"Globex","amount":-1,"currency":"EUR"}""", "amount")]
    [InlineData("""{"customer":"Globex","amount":10,"currency":"euro"}""", "currency")]
    [InlineData("""{"customer":"Globex","amount":""", null)]
    [InlineData("""[]""", null)]
    public async Task A_bad_body_from_an_authorized_caller_is_a_400_problem_not_a_500(string body, string? field)
    {
        var token = await world.AuthServer.TokenAsync("invoices:write");

        using var response = await world.Api(TokenValidationMode.Local).PostJsonAsync("/invoices", token, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null)
        {
            Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
