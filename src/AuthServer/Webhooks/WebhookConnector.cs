using System.Net;
using System.Net.Sockets;

namespace AuthServer.Webhooks;

/// <summary>Thrown from a connection to an address <see cref="WebhookAddressRule"/> refuses; the attempt fails with its reason.</summary>
public sealed class WebhookAddressRefusedException(string reason) : Exception(reason);

/// <summary>
/// Opens webhook connections only to allowed addresses: the host is resolved here, every address it has is checked,
/// and the socket connects to those checked addresses, so what was checked is what is reached.
/// </summary>
public sealed class WebhookConnector(WebhookAddressRule rule)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var (addresses, refusal) = await rule.ResolveAsync(context.DnsEndPoint.Host, cancellationToken);
        if (refusal is not null)
        {
            throw new WebhookAddressRefusedException(refusal);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
