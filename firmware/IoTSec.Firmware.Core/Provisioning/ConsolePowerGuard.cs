using IoTSec.Firmware.Platform;
using IoTSec.Protocol.Console;

namespace IoTSec.Firmware.Provisioning
{
    /// <summary>
    /// Sits between the console session and both the handler and the port, so that a reboot
    /// (a power cut in the simulated flash, or <see cref="IDevicePlatform.Reboot"/>) during a
    /// command behaves as on hardware: the device stops and answers nothing.
    /// </summary>
    /// <remarks>
    /// Why it is needed: <see cref="ConsoleServerSession"/> turns any exception a handler throws
    /// into an InternalError answer, which is right for a flash error but would make a dead
    /// device talk. The guard records the <see cref="DeviceRebootException"/>, mutes the port
    /// so the session's answer never leaves, and <see cref="ConsoleService"/> rethrows it once
    /// the session returns. It also logs each command's name and status (never a payload).
    /// </remarks>
    internal sealed class ConsolePowerGuard : IConsoleCommandHandler, IByteChannel
    {
        private readonly IConsoleCommandHandler _inner;
        private readonly IByteChannel _port;
        private readonly IDeviceLog _log;
        private DeviceRebootException _reboot;

        public ConsolePowerGuard(IConsoleCommandHandler inner, IByteChannel port, IDeviceLog log)
        {
            _inner = inner;
            _port = port;
            _log = log;
        }

        /// <summary>The reboot a command caused, or null.</summary>
        public DeviceRebootException Reboot
        {
            get { return _reboot; }
        }

        public byte Handle(byte command, byte[] payload, out byte[] response)
        {
            if (_reboot != null)
            {
                response = new byte[0];
                return (byte)ConsoleStatus.InternalError;
            }

            try
            {
                byte status = _inner.Handle(command, payload, out response);
                _log.Write("console: " + ConsoleNames.Command(command) + " -> " + ConsoleNames.Status(status));
                return status;
            }
            catch (DeviceRebootException e)
            {
                _reboot = e;
                response = new byte[0];
                return (byte)ConsoleStatus.InternalError;
            }
            catch (System.Exception e)
            {
                // The session answers InternalError; the log names the failure (store
                // messages name records and reasons, never contents).
                _log.Write("console: " + ConsoleNames.Command(command) + " failed: " + e.Message);
                throw;
            }
        }

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            return _reboot != null ? 0 : _port.Read(buffer, offset, count, timeoutMs);
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            if (_reboot == null)
            {
                _port.Write(buffer, offset, count);
            }
        }
    }
}
