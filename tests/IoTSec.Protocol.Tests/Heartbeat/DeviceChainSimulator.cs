using IoTSec.Protocol.Heartbeat;

namespace IoTSec.Protocol.Tests.Heartbeat;

/// <summary>
/// Plays a device's side of the heartbeat chain: sequence and chain head persist across
/// reboots, as the firmware keeps them. <see cref="Clone"/> copies the whole persisted state,
/// which is what cloning a device's flash does.
/// </summary>
internal sealed class DeviceChainSimulator
{
    private readonly byte[] _key;
    private ulong _nextSequence;
    private byte[] _previous = HeartbeatLink.Genesis();
    private uint _bootCount = 1;
    private uint _uptime = 5;

    public DeviceChainSimulator(byte[] key, string deviceId = HeartbeatVectors.DeviceId)
    {
        _key = key;
        DeviceId = deviceId;
    }

    public string DeviceId { get; }

    public byte[] Last { get; private set; } = [];

    public ulong NextSequence => _nextSequence;

    /// <summary>Encodes the next heartbeat and advances the chain as the device would after sending it.</summary>
    public byte[] Next(uint uptimeStep = 60)
    {
        _uptime += uptimeStep;
        var fields = HeartbeatVectors.SampleFields();
        fields.DeviceId = DeviceId;
        fields.Sequence = _nextSequence;
        fields.BootCount = _bootCount;
        fields.UptimeSeconds = _uptime;
        fields.PreviousDigest = _previous;
        byte[] encoded = HeartbeatEncoder.Encode(fields, _key);
        _previous = HeartbeatLink.Compute(encoded);
        _nextSequence++;
        Last = encoded;
        return encoded;
    }

    /// <summary>Heartbeats that were sent but never reached the gateway.</summary>
    public void Lose(int count)
    {
        for (int i = 0; i < count; i++)
        {
            Next();
        }
    }

    public void Reboot()
    {
        _bootCount++;
        _uptime = 3;
    }

    /// <summary>Loses the persisted chain (a factory reset without re-enrolment).</summary>
    public void ForgetChain()
    {
        _nextSequence = 0;
        _previous = HeartbeatLink.Genesis();
    }

    /// <summary>Forces the counters, to play a device whose flash was restored from an old copy.</summary>
    public void SetCounters(uint bootCount, uint uptime)
    {
        _bootCount = bootCount;
        _uptime = uptime;
    }

    public DeviceChainSimulator Clone()
    {
        return new DeviceChainSimulator(_key, DeviceId)
        {
            _nextSequence = _nextSequence,
            _previous = (byte[])_previous.Clone(),
            _bootCount = _bootCount,
            _uptime = _uptime,
        };
    }
}
