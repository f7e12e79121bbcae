using System.Security.Cryptography;
using System.Text;
using AuthServer.Clients;
using AuthServer.Secrets;
using AuthServer.Signing;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Micro;

// BenchmarkDotNet derives from benchmark classes, so they cannot be sealed.

/// <summary>
/// The machine's own limit: one RS256 or ES256 signature of a JWT's signing input on one core (the private-key
/// operation the token endpoint cannot avoid). The load test reads its figures as a ratio to these.
/// </summary>
public class SigningLimits
{
    private RSA _rsa = null!;
    private ECDsa _ecdsa = null!;
    private byte[] _signingInput = null!;

    [GlobalSetup]
    public void Setup()
    {
        _rsa = ((RsaSecurityKey)Keys.PrivateKey(SigningAlgorithms.RS256)).Rsa;
        _ecdsa = ((ECDsaSecurityKey)Keys.PrivateKey(SigningAlgorithms.ES256)).ECDsa;
        var token = Keys.CreateToken(Keys.PrivateKey(SigningAlgorithms.RS256), SigningAlgorithms.RS256);
        _signingInput = Encoding.ASCII.GetBytes(token[..token.LastIndexOf('.')]);
    }

    [Benchmark]
    public byte[] Rs256Sign() => _rsa.SignData(_signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark]
    public byte[] Es256Sign() => _ecdsa.SignData(_signingInput, HashAlgorithmName.SHA256);
}

/// <summary>What client authentication costs per token request: format and checksum, then one SHA-256 compared in constant time.</summary>
public class SecretVerification
{
    private readonly string _secret = ClientSecret.Generate();
    private string _hash = null!;

    [GlobalSetup]
    public void Setup() => _hash = ClientSecret.Hash(_secret);

    [Benchmark]
    public bool VerifySecret() => ClientSecret.IsWellFormed(_secret) && ClientSecret.Matches(_secret, _hash);
}

/// <summary>Creating and signing an access token with IdentityModel, as OpenIddict does for every token request.</summary>
public class TokenCreation
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private SecurityTokenDescriptor _rs256 = null!;
    private SecurityTokenDescriptor _es256 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _rs256 = Keys.AccessToken(Keys.PrivateKey(SigningAlgorithms.RS256), SigningAlgorithms.RS256);
        _es256 = Keys.AccessToken(Keys.PrivateKey(SigningAlgorithms.ES256), SigningAlgorithms.ES256);
    }

    [Benchmark]
    public string CreateTokenRs256() => _handler.CreateToken(_rs256);

    [Benchmark]
    public string CreateTokenEs256() => _handler.CreateToken(_es256);
}

/// <summary>
/// A resource server validating an AuthServer access token locally (signature from the JWKS key, issuer, audience,
/// lifetime, typ at+jwt), with the JsonWebTokenHandler that ASP.NET Core's JwtBearer uses.
/// </summary>
public class TokenValidation
{
    private readonly JsonWebTokenHandler _handler = new();
    private string _rs256Token = null!;
    private string _es256Token = null!;
    private TokenValidationParameters _rs256 = null!;
    private TokenValidationParameters _es256 = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_rs256Token, _rs256) = For(SigningAlgorithms.RS256);
        (_es256Token, _es256) = For(SigningAlgorithms.ES256);
    }

    [Benchmark]
    public async Task<bool> ValidateRs256() => (await _handler.ValidateTokenAsync(_rs256Token, _rs256)).IsValid;

    [Benchmark]
    public async Task<bool> ValidateEs256() => (await _handler.ValidateTokenAsync(_es256Token, _es256)).IsValid;

    private static (string Token, TokenValidationParameters Parameters) For(string algorithm)
    {
        var key = Keys.PrivateKey(algorithm);
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = Keys.Issuer,
            ValidAudience = Keys.Audience,
            IssuerSigningKey = Keys.PublicKey(key),
            ValidTypes = ["at+jwt"],
            ValidAlgorithms = [algorithm],
        };
        var token = Keys.CreateToken(key, algorithm);
        var result = new JsonWebTokenHandler().ValidateTokenAsync(token, parameters).GetAwaiter().GetResult();
        return result.IsValid ? (token, parameters) : throw new InvalidOperationException($"The benchmark token does not validate: {result.Exception}");
    }
}
