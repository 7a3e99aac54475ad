using Bulwark.Server.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddBulwarkServices();

var app = builder.Build();
await app.PrepareDatabaseAsync();
app.MapBulwark();
await app.RunAsync();

/// <summary>Entry point, public for WebApplicationFactory in the integration tests.</summary>
public partial class Program;
