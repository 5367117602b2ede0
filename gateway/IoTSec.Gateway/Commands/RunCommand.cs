using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace IoTSec.Gateway.Commands;

/// <summary><c>iotsec-gateway run</c>: the daemon under the Generic Host with systemd integration.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Run the gateway daemon (the default).");
        command.SetAction((parse, cancellation) => RunAsync(parse, cancellation));
        return command;
    }

    public static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellation)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSystemd();
        using var host = builder.Build();
        await host.RunAsync(cancellation).ConfigureAwait(false);
        return 0;
    }
}
