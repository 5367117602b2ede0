using System;
using System.Threading;

namespace IoTSec.Gateway.Core.Tamper;

/// <summary>
/// The gateway's tamper phase in memory, shared by the tamper monitor (which changes it) and the
/// services that must stop while the enclosure is open or was opened (EST certificate issuance
/// asks <see cref="IssuanceStopped"/>). The persisted truth is the tamper flag file (<see cref="TamperFlag"/>);
/// this object only mirrors it for the running process. Thread-safe.
/// </summary>
public sealed class TamperState
{
    private readonly Lock _gate = new();
    private TamperPhase _phase;
    private DateTimeOffset? _since;
    private string? _reason;

    /// <summary>A state in <paramref name="initial"/>; a host without a tamper monitor uses <see cref="TamperPhase.Armed"/>.</summary>
    public TamperState(TamperPhase initial = TamperPhase.Armed)
    {
        _phase = initial;
    }

    /// <summary>Raised after every change of <see cref="Phase"/>, on the thread that made it.</summary>
    public event Action<TamperPhase>? Changed;

    /// <summary>The current phase.</summary>
    public TamperPhase Phase
    {
        get
        {
            lock (_gate)
            {
                return _phase;
            }
        }
    }

    /// <summary>When the outstanding tamper event happened (null unless <see cref="TamperPhase.Tampered"/>).</summary>
    public DateTimeOffset? TamperedSince
    {
        get
        {
            lock (_gate)
            {
                return _since;
            }
        }
    }

    /// <summary>
    /// True unless the enclosure is known to be closed and re-armed: a gateway that is starting
    /// or was tampered issues no certificates.
    /// </summary>
    public bool IssuanceStopped => Phase != TamperPhase.Armed;

    /// <summary>Why issuance is stopped, in words a device operator can act on (null when it is not).</summary>
    public string? IssuanceRefusal
    {
        get
        {
            lock (_gate)
            {
                return _phase switch
                {
                    TamperPhase.Armed => null,
                    TamperPhase.Starting => "the gateway is starting and has not read its tamper switch yet; retry shortly",
                    _ => $"the gateway's enclosure was opened ({_reason}, at {_since:u}); certificate issuance stays stopped until an operator re-arms the gateway",
                };
            }
        }
    }

    /// <summary>Records a tamper event; returns false when the gateway was tampered already (one event per episode).</summary>
    public bool MarkTampered(DateTimeOffset since, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        lock (_gate)
        {
            if (_phase == TamperPhase.Tampered)
            {
                return false;
            }

            _phase = TamperPhase.Tampered;
            _since = since;
            _reason = reason;
        }

        Changed?.Invoke(TamperPhase.Tampered);
        return true;
    }

    /// <summary>The enclosure is closed and no tamper event is outstanding (first read at start, or a re-arm).</summary>
    public void MarkArmed()
    {
        lock (_gate)
        {
            if (_phase == TamperPhase.Armed)
            {
                return;
            }

            _phase = TamperPhase.Armed;
            _since = null;
            _reason = null;
        }

        Changed?.Invoke(TamperPhase.Armed);
    }
}
