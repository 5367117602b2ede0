using System.CommandLine;
using IoTSec.Provision.Serial;

namespace IoTSec.Provision.Commands;

/// <summary>The options every verb that talks to a device takes.</summary>
internal sealed class DeviceOptions
{
    public Option<string> Port { get; } = new("--port", "-p")
    {
        Description = "Serial port of the device (/dev/ttyUSB0, /dev/ttyACM0, COM3, or a pseudo-terminal link)",
        Required = true,
    };

    public Option<int> TimeoutMs { get; } = new("--timeout-ms")
    {
        Description = "Milliseconds to wait for each answer",
        DefaultValueFactory = _ => ConnectionSettings.Default.ResponseTimeoutMs,
    };

    public Option<int> Retries { get; } = new("--retries")
    {
        Description = "Retransmissions per request before the link is declared failed (exit 6)",
        DefaultValueFactory = _ => ConnectionSettings.Default.RetryCount,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Port);
        command.Options.Add(TimeoutMs);
        command.Options.Add(Retries);
    }

    public DeviceConnection Open(ParseResult parse)
    {
        int timeout = parse.GetValue(TimeoutMs);
        int retries = parse.GetValue(Retries);
        if (timeout is < 50 or > 60_000)
        {
            throw new ProvisionException(ExitCode.Usage, "--timeout-ms must be 50 to 60000");
        }

        if (retries is < 0 or > 20)
        {
            throw new ProvisionException(ExitCode.Usage, "--retries must be 0 to 20");
        }

        return DeviceConnection.Open(parse.GetRequiredValue(Port), new ConnectionSettings(timeout, retries));
    }
}
