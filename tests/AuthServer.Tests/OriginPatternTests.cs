using AuthServer.Browser;
using AuthServer.Failures;

namespace AuthServer.Tests;

/// <summary>The one rule for a publishable key's allowed origins: which patterns are accepted, how they are written, what each matches.</summary>
public sealed class OriginPatternTests
{
    [Theory]
    [InlineData("https://app.example.com", "https://app.example.com")]
    [InlineData("HTTPS://App.Example.COM", "https://app.example.com")]
    [InlineData("http://localhost:3000", "http://localhost:3000")]
    [InlineData("https://app.example.com:443", "https://app.example.com")]
    [InlineData("https://*.example.com", "https://*.example.com")]
    [InlineData("https://*.example.com:8443", "https://*.example.com:8443")]
    [InlineData("http://127.0.0.1:5173", "http://127.0.0.1:5173")]
    public void A_valid_pattern_is_stored_in_its_normal_form(string pattern, string stored)
    {
        Assert.Equal(stored, OriginPattern.TryParse(pattern, out var error)?.Text);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("app.example.com")]
    [InlineData("https://app.example.com/")]
    [InlineData("https://app.example.com/path")]
    [InlineData("https://app.example.com?x=1")]
    [InlineData("https://user@app.example.com")]
    [InlineData("ftp://app.example.com")]
    [InlineData("https://*")]
    [InlineData("https://*.com")]
    [InlineData("https://app.*.example.com")]
    [InlineData("*")]
    [InlineData("https://*example.com")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("https://*.com.")]
    [InlineData("https://app.example.com.")]
    [InlineData("https://app.example.com:0")]
    [InlineData("https://bücher.example")]
    [InlineData("https://*.bücher.example")]
    public void An_invalid_pattern_is_refused_with_a_sentence_saying_what_an_origin_is(string pattern)
    {
        Assert.Null(OriginPattern.TryParse(pattern, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void A_list_with_one_bad_pattern_names_it_on_the_allowedOrigins_field()
    {
        var refusal = Assert.Throws<InvalidFieldException>(() => OriginPattern.ParseAll("allowedOrigins", ["https://ok.example.com", "https://bad.example.com/x"]));

        Assert.Equal("allowedOrigins", refusal.Field);
        Assert.Contains("'https://bad.example.com/x'", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://app.example.com", "https://app.example.com", true)]
    [InlineData("https://app.example.com", "http://app.example.com", false)]
    [InlineData("https://app.example.com", "https://app.example.com:8443", false)]
    [InlineData("https://app.example.com", "https://other.example.com", false)]
    [InlineData("http://localhost:3000", "http://localhost:3000", true)]
    [InlineData("http://localhost:3000", "http://localhost:3001", false)]
    [InlineData("http://localhost:3000", "http://localhost", false)]
    [InlineData("https://*.example.com", "https://a.example.com", true)]
    [InlineData("https://*.example.com", "https://a.b.example.com", true)]
    [InlineData("https://*.example.com", "https://example.com", false)]
    [InlineData("https://*.example.com", "https://evil-example.com", false)]
    [InlineData("https://*.example.com", "https://a.example.com.evil.net", false)]
    [InlineData("https://*.example.com", "http://a.example.com", false)]
    [InlineData("https://*.example.com", "https://a.example.com:8443", false)]
    [InlineData("https://*.example.com:8443", "https://a.example.com:8443", true)]
    [InlineData("https://app.example.com", "https://app.example.com/", false)]
    [InlineData("https://app.example.com", "null", false)]
    [InlineData("https://app.example.com", "", false)]
    public void An_origin_header_matches_exactly_or_as_a_subdomain_of_a_wildcard(string pattern, string origin, bool matches)
    {
        var list = new OriginAllowList([OriginPattern.TryParse(pattern, out _)!]);

        Assert.Equal(matches, list.Allows(Origin.Parse(origin)));
    }

    [Fact]
    public void An_empty_list_allows_no_origin()
    {
        Assert.False(OriginAllowList.Empty.Allows(Origin.Parse("https://app.example.com")));
    }
}
