namespace IoTSec.Gateway.Systemd;

/// <summary>
/// One condition the daemon must meet to be called healthy. While any check reports a
/// problem the watchdog stops sending WATCHDOG=1, so systemd restarts the daemon after
/// WatchdogSec=; the problem goes to the log and to systemd's STATUS= (<c>systemctl status</c>).
/// Register one with <c>services.AddSingleton&lt;IGatewayHealthCheck&gt;(…)</c>.
/// </summary>
public interface IGatewayHealthCheck
{
    /// <summary>What is checked, for the log.</summary>
    string Name { get; }

    /// <summary>Null when healthy, else what is wrong. Called every half watchdog interval: keep it cheap and non-blocking.</summary>
    string? Problem();
}

/// <summary>A health check from a name and a delegate.</summary>
/// <param name="Name">What is checked.</param>
/// <param name="Check">Null when healthy, else the problem.</param>
public sealed record GatewayHealthCheck(string Name, System.Func<string?> Check) : IGatewayHealthCheck
{
    /// <inheritdoc />
    public string? Problem() => Check();
}
