// The HTTP floor of the benchmark: what Kestrel alone does with a form POST on this machine under the same wrk
// settings as the AuthServer scenarios. It reads the form (as the token endpoint must) and answers a small JSON
// body, and does nothing else.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();

app.MapPost("/connect/token", async (HttpContext context) =>
{
    var form = await context.Request.ReadFormAsync(context.RequestAborted);
    context.Response.ContentType = "application/json;charset=UTF-8";
    await context.Response.WriteAsync(form.ContainsKey("grant_type") ? """{"ok":true}""" : """{"ok":false}""", context.RequestAborted);
});
app.MapGet("/health/ready", () => "ok");

await app.RunAsync();
