using System.CommandLine;
using AuthServer.Resources;

namespace AuthServer.Cli;

internal static class ResourceCommands
{
    public static Command Create(CliSession session)
    {
        var resources = new Command("resources", "Resource servers: the APIs that accept AuthServer tokens (the aud claim).");

        var name = new Argument<string>("name") { Description = "The audience name, e.g. invoices-api." };
        var description = new Option<string?>("--description") { Description = "What the API is." };
        var introspection = new Option<bool>("--introspection") { Description = "Also give it credentials for /connect/introspect (secret shown once)." };
        var create = new Command("create", "Register a resource server.") { name, description, introspection };
        session.Bind(create, async run =>
        {
            var service = run.Get<ResourceServerService>();
            var resource = await service.CreateAsync(run.Parse.GetRequiredValue(name), run.Parse.GetValue(description), CliSession.Operator, run.CancellationToken);
            if (!run.Parse.GetValue(introspection))
            {
                run.Print(resource, o => o.WriteLine($"Created resource server {resource.Name}."));
                return;
            }

            var credentials = await service.IssueCredentialsAsync(resource.Name, CliSession.Operator, run.CancellationToken);
            run.Print(credentials, o => WriteCredentials(o, credentials));
        });

        var credentialsName = new Argument<string>("name") { Description = "The resource server." };
        var credentials = new Command("credentials", "Give a resource server a new introspection secret; the previous one stops working.") { credentialsName };
        session.Bind(credentials, async run =>
        {
            var issued = await run.Get<ResourceServerService>().IssueCredentialsAsync(run.Parse.GetRequiredValue(credentialsName), CliSession.Operator, run.CancellationToken);
            run.Print(issued, o => WriteCredentials(o, issued));
        });

        var list = new Command("list", "List resource servers.");
        session.Bind(list, async run =>
        {
            var all = await run.Get<ResourceServerService>().ListAsync(run.CancellationToken);
            run.Print(all, o => TextTable.Write(o, ["NAME", "INTROSPECTION", "CREATED", "DESCRIPTION"],
                all.Select(r => (IReadOnlyList<string>)[r.Name, r.CanIntrospect ? "yes" : "no", TextTable.Time(r.CreatedAt), r.Description ?? ""])));
        });

        resources.Add(create);
        resources.Add(credentials);
        resources.Add(list);
        return resources;
    }

    private static void WriteCredentials(TextWriter output, IssuedResourceCredentials credentials)
    {
        output.WriteLine($"Resource server {credentials.ResourceServer.Name} can call /connect/introspect with:");
        output.WriteLine($"  client_id:     {credentials.ClientId}");
        output.WriteLine($"  client_secret: {credentials.ClientSecret}");
        output.WriteLine("The secret is shown this once; store it now.");
    }
}
