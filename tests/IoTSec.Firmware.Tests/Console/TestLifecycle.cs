using IoTSec.Firmware.Lifecycle;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Storage;
using IoTSec.Protocol.Provisioning;

namespace IoTSec.Firmware.Tests.Console;

/// <summary>
/// A tiny persisted stand-in for the lifecycle state machine, which another part of the
/// firmware implements (issue 7): the state lives in a RecordStore on the device's flash, so
/// its write counts in the power-cut sweeps as the real one's will. Its table allows any move
/// to another state; the real table is not under test here.
/// </summary>
internal sealed class TestLifecycle : IDeviceLifecycle
{
    private readonly RecordStore _record;

    public TestLifecycle(IFlashStore flash) => _record = new RecordStore(flash, "test-lifecycle");

    public LifecycleState Current
    {
        get
        {
            byte[]? value = _record.Read();
            return value is null ? LifecycleState.Unprovisioned : (LifecycleState)value[0];
        }
    }

    public bool TryMove(LifecycleState target, string reason)
    {
        if (target == Current)
        {
            return false;
        }

        _record.Write([(byte)target]);
        return true;
    }
}
