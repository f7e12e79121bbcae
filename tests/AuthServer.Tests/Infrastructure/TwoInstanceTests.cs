namespace AuthServer.Tests.Infrastructure;

/// <summary>Two server instances on one database: <see cref="A"/> with the standard world, <see cref="B"/> beside it.</summary>
public abstract class TwoInstanceTests(TestWorld a) : IAsyncLifetime
{
    protected TestWorld A { get; } = a;

    protected AuthServerFactory B { get; private set; } = null!;

    protected HttpClient HttpB { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await A.InitializeAsync();
        B = new AuthServerFactory(A.Factory.DatabaseSettings);
        HttpB = B.CreateHttpsClient();
    }

    public async Task DisposeAsync()
    {
        HttpB.Dispose();
        await B.DisposeAsync();
        await A.DisposeAsync();
    }
}
