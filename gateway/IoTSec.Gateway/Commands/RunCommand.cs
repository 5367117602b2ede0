using System;
using System.CommandLine;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Configuration;
using IoTSec.Gateway.Core.Policy;
using IoTSec.Gateway.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;

namespace IoTSec.Gateway.Commands;

/// <summary>
/// <c>iotsec-gateway run</c>: the daemon under the Generic Host with systemd integration,
/// serving EST. Configuration overrides follow the verb in .NET's command-line form
/// (<c>run --IoTSec:Est:Port=9443</c>); errors a user can cause (a bad setting, a missing
/// key, a port in use) end the start with one line on stderr and exit code 1.
/// </summary>
internal static class RunCommand
{
    /// <summary>The YAML configuration file (also accepted before the verb, for the default run).</summary>
    public static readonly Option<string?> ConfigFile = new("--config")
    {
        Description = $"YAML configuration file (default: {GatewayConfigurationFile.DefaultPath} when it exists, else the embedded defaults)",
        Recursive = true,
    };

    public static Command Create()
    {
        var command = new Command("run", "Run the gateway daemon (the default). Configuration overrides may follow, e.g. --IoTSec:Est:Port=9443.")
        {
            // Unknown tokens are configuration overrides for the host, not errors.
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction((parse, cancellation) => RunAsync(parse, cancellation));
        return command;
    }

    public static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellation)
    {
        try
        {
            var dataDirectory = GatewayDataDirectory.Resolve(parse.GetValue(GatewayCommandLine.DataDirectory)).EnsureExists();
            var file = GatewayConfigurationFile.Load(parse.GetValue(ConfigFile));
            await using var app = GatewayHost.Build(dataDirectory, parse.UnmatchedTokens, file);
            await ((IHost)app).RunAsync(cancellation).ConfigureAwait(false);
            return 0;
        }
        catch (GatewayConfigurationException e)
        {
            return Fail(parse, e.Message);
        }
        catch (Exception e) when (e is GatewayKeyStoreException or SecretSealedException or GatewayPkiException
                                      or InventoryException or AuditLogException or SqliteException
                                      or IOException or UnauthorizedAccessException or PolicyRejectedException)
        {
            // A refused policy file: every error was logged with its line:column; this names the first.
            // IOException includes Kestrel's "Failed to bind to address …: address already in use".
            return Fail(parse, e.Message);
        }
    }

    private static int Fail(ParseResult parse, string message)
    {
        parse.InvocationConfiguration.Error.WriteLine("error: " + message);
        return 1;
    }
}
