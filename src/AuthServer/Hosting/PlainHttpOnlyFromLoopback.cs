using System.Net;

namespace AuthServer.Hosting;

/// <summary>
/// Development accepts plain HTTP so that curl works out of the box, but only from this machine: a request
/// over HTTP from any other address is refused, in case the server was bound to a public interface.
/// </summary>
public sealed class PlainHttpOnlyFromLoopback(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (context.Request.IsHttps || remote is null || IPAddress.IsLoopback(remote))
        {
            return next(context);
        }

        return Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "HTTPS required",
            detail: "Plain HTTP is accepted from the loopback interface only.").ExecuteAsync(context);
    }
}
