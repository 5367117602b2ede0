using System;
using System.IO;
using IoTSec.Protocol.Console;
using IoTSec.Protocol.Provisioning;
using IoTSec.SerialConsole;

namespace IoTSec.Provision.Serial;

/// <summary>
/// An open console session with one device: the port opened, the device greeted (it is an
/// IoTSec device and speaks our payload version), and every protocol failure translated into
/// a <see cref="ProvisionException"/> with the exit code a technician or line controller acts on.
/// </summary>
public sealed class DeviceConnection : IDisposable
{
    private readonly SerialPortChannel _channel;

    private DeviceConnection(string port, SerialPortChannel channel, ConsoleClientSession session, HelloResponse hello)
    {
        Port = port;
        _channel = channel;
        Session = session;
        Client = new ProvisioningConsoleClient(session);
        HardwareId = hello.HardwareId;
    }

    /// <summary>The port's path.</summary>
    public string Port { get; }

    /// <summary>The console session (its counters show retransmissions and rejected frames).</summary>
    public ConsoleClientSession Session { get; }

    /// <summary>The typed console client.</summary>
    public ProvisioningConsoleClient Client { get; }

    /// <summary>The hardware id the device gave in its greeting.</summary>
    public string HardwareId { get; }

    /// <summary>Opens <paramref name="port"/> and greets the device.</summary>
    /// <exception cref="ProvisionException"><see cref="ExitCode.NoDevice"/>, <see cref="ExitCode.WrongDevice"/> or <see cref="ExitCode.LinkFailed"/>.</exception>
    public static DeviceConnection Open(string port, ConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!OperatingSystem.IsWindows() && !File.Exists(port))
        {
            // System.IO.Ports reports a missing device node as "access denied"; say what it is.
            throw new ProvisionException(ExitCode.NoDevice, $"no device: serial port '{port}' does not exist (is the cable plugged in? see 'iotsec-provision ports')");
        }

        SerialPortChannel channel;
        try
        {
            channel = new SerialPortChannel(port);
            channel.DiscardPendingInput();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            throw new ProvisionException(ExitCode.NoDevice, $"no device: cannot open serial port '{port}': {e.Message}", e);
        }

        try
        {
            var session = new ConsoleClientSession(channel, (ushort)Random.Shared.Next(0, ushort.MaxValue))
            {
                ResponseTimeoutMs = settings.ResponseTimeoutMs,
                RetryCount = settings.RetryCount,
            };
            HelloResponse hello = Guard(port, session, () => new ProvisioningConsoleClient(session).Hello(), greeting: true);
            return new DeviceConnection(port, channel, session, hello);
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    /// <summary>Runs one exchange, translating failures into exit codes.</summary>
    public T Run<T>(Func<ProvisioningConsoleClient, T> exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        return Guard(Port, Session, () => exchange(Client), greeting: false);
    }

    /// <summary>Runs one exchange that returns nothing.</summary>
    public void Run(Action<ProvisioningConsoleClient> exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        Guard(Port, Session, () =>
        {
            exchange(Client);
            return 0;
        }, greeting: false);
    }

    /// <summary>Closes the port.</summary>
    public void Dispose() => _channel.Dispose();

    private static T Guard<T>(string port, ConsoleClientSession session, Func<T> exchange, bool greeting)
    {
        try
        {
            return exchange();
        }
        catch (ProvisioningRefusedException e) when (e.Status == ConsoleStatus.Locked)
        {
            throw new ProvisionException(ExitCode.Locked, $"the device on '{port}' is locked: {e.Message}", e);
        }
        catch (ProvisioningRefusedException e)
        {
            throw new ProvisionException(ExitCode.DeviceRefused, e.Message, e);
        }
        catch (ProvisioningPayloadException e) when (greeting && e.Reason is ProvisioningPayloadError.BadMagic or ProvisioningPayloadError.UnsupportedVersion)
        {
            throw new ProvisionException(ExitCode.WrongDevice, $"the device on '{port}' is not an IoTSec device this tool can provision: {e.Message}", e);
        }
        catch (ProvisioningPayloadException e)
        {
            throw new ProvisionException(greeting ? ExitCode.WrongDevice : ExitCode.DeviceRefused, $"malformed answer from the device on '{port}': {e.Message}", e);
        }
        catch (ConsoleProtocolException e) when (e.Reason == ConsoleProtocolError.Timeout)
        {
            // Silence at the greeting is "no device here"; damaged frames, or silence later in
            // a session that worked, is a link that lost more frames than the retry budget.
            bool silent = session.FramesRejected == 0 && session.StaleFramesDiscarded == 0;
            ExitCode code = greeting && silent ? ExitCode.NoDevice : ExitCode.LinkFailed;
            string what = code == ExitCode.NoDevice ? "no device answers" : "the link failed";
            throw new ProvisionException(code, $"{what} on '{port}': {e.Message} ({session.FramesRejected} frame(s) rejected, {session.Retransmissions} retransmission(s))", e);
        }
        catch (ConsoleProtocolException e)
        {
            throw new ProvisionException(ExitCode.LinkFailed, $"console protocol failure on '{port}': {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new ProvisionException(ExitCode.LinkFailed, $"serial port '{port}' failed: {e.Message}", e);
        }
    }
}

/// <summary>How patient the tool is with a device: the response timeout and the retry budget per request.</summary>
/// <param name="ResponseTimeoutMs">Milliseconds to wait for each answer.</param>
/// <param name="RetryCount">Retransmissions per request before the link is declared failed.</param>
public sealed record ConnectionSettings(int ResponseTimeoutMs, int RetryCount)
{
    /// <summary>The protocol's defaults: 1 s, 3 retries.</summary>
    public static ConnectionSettings Default { get; } = new(ConsoleClientSession.DefaultResponseTimeoutMs, ConsoleClientSession.DefaultRetryCount);
}
