using AuthServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AuthServer.Users;

/// <summary>People, memberships and invitations: ASP.NET Core Identity with its stores in AuthServer's database.</summary>
public static class PeopleSetup
{
    /// <summary>The Identity role of operators, who may manage every account; distinct from any account membership.</summary>
    public const string OperatorRole = "Operator";

    public static IServiceCollection AddPeople(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UsersOptions>().Bind(configuration.GetSection(UsersOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<UsersOptions>, ValidateUsersOptions>();
        services.AddIdentityCore<ConsoleUser>(options =>
            {
                ConfigureStores(options.Stores);
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 12;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireDigit = false;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AuthDbContext>(); // the CLI too; signing in is the console's (ConsoleSetup)
        services.AddScoped<InvitationLinks>();
        services.AddScoped<InvitationService>();
        services.AddScoped<MembershipService>();
        services.AddScoped<OperatorService>();
        services.AddScoped<PasskeyService>();
        services.AddScoped<SingleSignOnPeople>();
        return services;
    }

    /// <summary>Identity's schema version 3, with passkeys; the design-time factories use it too, so that migrations match.</summary>
    public static void ConfigureStores(StoreOptions stores) => stores.SchemaVersion = IdentitySchemaVersions.Version3;

    /// <summary>What Identity's model reads from the application's services, for <c>dotnet ef</c>.</summary>
    internal static IServiceProvider DesignTimeServices() =>
        new ServiceCollection().Configure<IdentityOptions>(options => ConfigureStores(options.Stores)).BuildServiceProvider();
}
