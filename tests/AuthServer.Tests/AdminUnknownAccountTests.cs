using System.Net;
using AuthServer.Admin;
using AuthServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AuthServer.Tests;

/// <summary>An account named in the route must exist: an operator asking about an unknown one gets 404, on every such route.</summary>
public sealed class AdminUnknownAccountTests(AdminWorld world) : IClassFixture<AdminWorld>
{
    [Fact]
    public async Task Every_account_scoped_route_answers_an_unknown_account_with_a_404_problem()
    {
        var routes = world.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(AdminApi.BasePath, StringComparison.Ordinal) == true
                && e.RoutePattern.Parameters.Any(p => p.Name == "accountId"))
            .SelectMany(e => e.Metadata.GetRequiredMetadata<HttpMethodMetadata>().HttpMethods.Select(method => (Method: method, Pattern: e.RoutePattern.RawText!)))
            .ToList();
        Assert.NotEmpty(routes);

        foreach (var (method, pattern) in routes)
        {
            var path = pattern.Replace("{accountId}", "acct_nope").Replace("{keyId}", "ak_nope");
            using var response = await world.AdminAsync(new HttpMethod(method), path, world.OperatorToken, method == "GET" ? null : "{}");

            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {pattern}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("No account 'acct_nope'.", System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        }
    }
}
