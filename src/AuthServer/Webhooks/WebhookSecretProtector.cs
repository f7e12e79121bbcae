using Microsoft.AspNetCore.DataProtection;

namespace AuthServer.Webhooks;

/// <summary>Endpoints' signing secrets, encrypted with the Data Protection key ring every instance shares.</summary>
public sealed class WebhookSecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("AuthServer.Webhooks.SigningSecret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
