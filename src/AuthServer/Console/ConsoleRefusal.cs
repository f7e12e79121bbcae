using AuthServer.Failures;

namespace AuthServer.Console;

/// <summary>The status a console page answers a refused request with: the one the admin API would answer.</summary>
public static class ConsoleRefusal
{
    public static int StatusOf(AuthServerException exception) => exception switch
    {
        NotFoundException => StatusCodes.Status404NotFound,
        ConflictException or KeyLimitReachedException => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };
}
