using AuthServer.Secrets;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;

namespace AuthServer.Clients;

/// <summary>
/// OpenIddict's application manager, with secrets that AuthServer generated hashed by one SHA-256 instead of
/// PBKDF2 (docs/design.md, decision 1). Secrets of any other shape keep OpenIddict's default slow hash.
/// </summary>
public sealed class GeneratedSecretApplicationManager(
    IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication> cache,
    ILogger<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication> store)
    : OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>(cache, logger, options, store)
{
    protected override ValueTask<string> ObfuscateClientSecretAsync(string secret, CancellationToken cancellationToken = default) =>
        ClientSecret.IsWellFormed(secret)
            ? ValueTask.FromResult(ClientSecret.Hash(secret))
            : base.ObfuscateClientSecretAsync(secret, cancellationToken);

    protected override ValueTask<bool> ValidateClientSecretAsync(string secret, string comparand, CancellationToken cancellationToken = default) =>
        ClientSecret.IsHash(comparand)
            ? ValueTask.FromResult(ClientSecret.Matches(secret, comparand))
            : base.ValidateClientSecretAsync(secret, comparand, cancellationToken);
}
