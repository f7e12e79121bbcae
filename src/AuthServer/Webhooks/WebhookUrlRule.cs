using System.Net.Sockets;
using AuthServer.Failures;

namespace AuthServer.Webhooks;

/// <summary>What a webhook endpoint's URL must be: absolute HTTPS, no credentials or fragment, a host that is public.</summary>
public sealed class WebhookUrlRule(WebhookAddressRule addresses, Microsoft.Extensions.Options.IOptions<WebhookOptions> options)
{
    public const int MaxLength = 2000;

    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The URL in its normal form, or an <see cref="InvalidFieldException"/> saying what is wrong.</summary>
    public async Task<string> ValidateAsync(string? url, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new InvalidFieldException("url", "url is required: the HTTPS address that receives the events.");
        }

        if (url.Length > MaxLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || !uri.IsWellFormedOriginalString())
        {
            throw new InvalidFieldException("url", $"url must be an absolute URL of at most {MaxLength} characters.");
        }

        var httpAllowed = options.Value.AllowHttp && uri.Scheme == Uri.UriSchemeHttp;
        if (uri.Scheme != Uri.UriSchemeHttps && !httpAllowed)
        {
            throw new InvalidFieldException("url", "url must be an https:// address.");
        }

        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new InvalidFieldException("url", "url must not carry a user name, password or #fragment.");
        }

        string? refusal;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ResolveTimeout);
        try
        {
            (_, refusal) = await addresses.ResolveAsync(uri.IdnHost, timeout.Token);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // A name that does not resolve yet may be registered: every delivery checks what it resolves to then.
            refusal = null;
        }

        if (refusal is not null)
        {
            throw new InvalidFieldException("url", $"url is refused: {refusal}.");
        }

        // The normal form can be longer than what was sent (an international name in punycode, escaped characters).
        return uri.AbsoluteUri.Length <= MaxLength ? uri.AbsoluteUri
            : throw new InvalidFieldException("url", $"url must be an absolute URL of at most {MaxLength} characters.");
    }
}
