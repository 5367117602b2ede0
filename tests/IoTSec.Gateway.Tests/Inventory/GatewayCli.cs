using System.CommandLine;
using System.IO;

namespace IoTSec.Gateway.Tests.Inventory;

/// <summary>Runs the real <c>iotsec-gateway</c> command tree in-process and captures what it prints.</summary>
internal static class GatewayCli
{
    public static CliResult Run(string dataDirectory, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var all = new string[args.Length + 2];
        all[0] = "--data-dir";
        all[1] = dataDirectory;
        args.CopyTo(all, 2);
        var exitCode = GatewayCommandLine.Build().Parse(all).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}

/// <summary>Exit code and captured output of one invocation.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}
