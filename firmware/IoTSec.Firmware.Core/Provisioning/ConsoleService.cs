using System;
using IoTSec.Firmware.Platform;
using IoTSec.Protocol.Console;
using IoTSec.Protocol.Provisioning;

namespace IoTSec.Firmware.Provisioning
{
    /// <summary>
    /// The device's provisioning console: the protocol's <see cref="ConsoleServerSession"/> and
    /// <see cref="ProvisioningConsoleHandler"/> over the console port, driving the device's
    /// <see cref="IProvisioningTarget"/> (a <see cref="FlashProvisioningTarget"/>). The firmware
    /// runs <see cref="Run"/> on a thread of its own, or calls <see cref="PollOnce"/> from its
    /// main loop.
    /// </summary>
    /// <remarks>
    /// The log gets one line per command with its status, and the reason of each refusal;
    /// payloads (the birth key among them) are never logged. A reboot during a command (power
    /// cut, <see cref="IDevicePlatform.Reboot"/>) leaves the port silent and is rethrown as the
    /// <see cref="DeviceRebootException"/> it was.
    /// </remarks>
    public sealed class ConsoleService
    {
        /// <summary>How long <see cref="Run"/> waits for a request before checking <see cref="Stop"/>.</summary>
        public const int PollIntervalMs = 200;

        private readonly ConsoleServerSession _session;
        private readonly ProvisioningConsoleHandler _handler;
        private readonly ConsolePowerGuard _guard;
        private readonly IDeviceLog _log;
        private readonly object _stopGate = new object();
        private bool _stopping;

        /// <summary>Creates the service; call the target's <see cref="FlashProvisioningTarget.RecoverAfterBoot"/> at boot first.</summary>
        /// <param name="port">The console port (the UART on a device, <c>SerialPortChannel</c> on the desktop).</param>
        /// <param name="target">The provisioning store.</param>
        /// <param name="log">The device log.</param>
        public ConsoleService(IByteChannel port, IProvisioningTarget target, IDeviceLog log)
        {
            if (port == null)
            {
                throw new ArgumentNullException("port");
            }

            if (log == null)
            {
                throw new ArgumentNullException("log");
            }

            _log = log;
            _handler = new ProvisioningConsoleHandler(target);
            _guard = new ConsolePowerGuard(_handler, port, log);
            _session = new ConsoleServerSession(_guard, _guard);
        }

        /// <summary>The session's counters (replays, stale refusals, rejected frames, handler faults), for the log and the heartbeat.</summary>
        public ConsoleServerSession Session
        {
            get { return _session; }
        }

        /// <summary>The handler's refusal counters and last refusal.</summary>
        public ProvisioningConsoleHandler Handler
        {
            get { return _handler; }
        }

        /// <summary>Waits for one request and answers it.</summary>
        /// <param name="timeoutMs">Longest wait in milliseconds.</param>
        /// <returns>True when a request was answered.</returns>
        /// <exception cref="DeviceRebootException">The device rebooted (or lost power) while carrying out the command; nothing was answered.</exception>
        public bool PollOnce(int timeoutMs)
        {
            int refusals = _handler.Refusals;
            bool answered = _session.Poll(timeoutMs);
            if (_guard.Reboot != null)
            {
                throw _guard.Reboot;
            }

            if (_handler.Refusals != refusals)
            {
                _log.Write("console: refused: " + _handler.LastRefusal);
            }

            return answered;
        }

        /// <summary>Serves requests until <see cref="Stop"/> is called.</summary>
        /// <exception cref="DeviceRebootException">The device rebooted while carrying out a command.</exception>
        public void Run()
        {
            _log.Write("console: serving");
            while (!IsStopping())
            {
                PollOnce(PollIntervalMs);
            }

            _log.Write("console: stopped");
        }

        /// <summary>Makes <see cref="Run"/> return within <see cref="PollIntervalMs"/> (plus the request in hand).</summary>
        public void Stop()
        {
            // A lock, not volatile: nanoFramework's mscorlib has no IsVolatile modifier.
            lock (_stopGate)
            {
                _stopping = true;
            }
        }

        private bool IsStopping()
        {
            lock (_stopGate)
            {
                return _stopping;
            }
        }
    }
}
