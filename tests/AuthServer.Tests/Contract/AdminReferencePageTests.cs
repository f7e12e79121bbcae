using System.Net;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Contract;

/// <summary>The interactive reference (Scalar) exists in Development only.</summary>
public sealed class AdminReferencePageTests
{
    [Fact]
    public async Task Development_serves_the_reference_page_of_the_admin_document()
    {
        await using var factory = new AuthServerFactory(environment: "Development");
        using var http = factory.CreateHttpsClient();

        using var page = await http.GetAsync("/scalar/admin");
        using var script = await http.GetAsync("/scalar/scalar.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("AuthServer admin API", html);
        Assert.Contains("openapi/admin.json", html);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode); // served by the server itself, not from a CDN
    }

    [Theory]
    [InlineData("Testing")]
    [InlineData("Production")]
    public async Task Outside_development_there_is_no_reference_page(string environment)
    {
        await using var factory = new AuthServerFactory(environment: environment);
        using var http = factory.CreateHttpsClient();

        using var page = await http.GetAsync("/scalar/admin");
        using var script = await http.GetAsync("/scalar/scalar.js");
        using var document = await http.GetAsync("/openapi/admin.json");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, script.StatusCode);
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
    }
}
