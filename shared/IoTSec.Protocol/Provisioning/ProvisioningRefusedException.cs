using IoTSec.Protocol.Console;

namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// The device refused a provisioning command (tool side): the console answered with an
    /// error status, and the device's diagnostic says why. Thrown by
    /// <see cref="ProvisioningConsoleClient"/> in place of the transport's
    /// <see cref="ConsoleProtocolException"/> with <see cref="ConsoleProtocolError.RemoteError"/>
    /// (kept as the inner exception); transport failures (timeouts) stay
    /// <see cref="ConsoleProtocolException"/>.
    /// </summary>
#pragma warning disable CA1032 // Standard constructors: a refusal without its status and diagnostic would carry no diagnosis; mscorlib v1 has no serialization constructor either.
    public sealed class ProvisioningRefusedException : System.Exception
#pragma warning restore CA1032
    {
        /// <summary>Creates the exception from the transport's refusal.</summary>
        /// <param name="command">The command refused.</param>
        /// <param name="remote">The transport's exception (reason <see cref="ConsoleProtocolError.RemoteError"/>).</param>
        public ProvisioningRefusedException(ConsoleCommand command, ConsoleProtocolException remote)
            : this(command, remote, Diagnose(remote))
        {
        }

        private ProvisioningRefusedException(ConsoleCommand command, ConsoleProtocolException remote, ProvisioningDiagnostic diagnostic)
            : base(
                "the device refused " + ConsoleNames.Command((byte)command) + " with status " + ConsoleNames.Status(remote.RemoteStatus)
                    + (diagnostic.PayloadError != ProvisioningPayloadError.None ? " [" + ProvisioningPayloadException.ReasonName(diagnostic.PayloadError) + "]" : string.Empty)
                    + (diagnostic.Message.Length > 0 ? ": " + diagnostic.Message : string.Empty),
                remote)
        {
            Command = command;
            Status = (ConsoleStatus)remote.RemoteStatus;
            PayloadError = diagnostic.PayloadError;
            MissingItems = diagnostic.Missing;
            DeviceMessage = diagnostic.Message;
        }

        /// <summary>The command refused.</summary>
        public ConsoleCommand Command { get; }

        /// <summary>The device's status (Locked, NotStaged, BadPayload, UnknownCommand, InternalError).</summary>
        public ConsoleStatus Status { get; }

        /// <summary>For <see cref="ConsoleStatus.BadPayload"/>, why; otherwise None.</summary>
        public ProvisioningPayloadError PayloadError { get; }

        /// <summary>For a NotStaged refusal of Commit, the items missing; otherwise None.</summary>
        public StagedItems MissingItems { get; }

        /// <summary>The device's own explanation (empty if it sent none).</summary>
        public string DeviceMessage { get; }

        /// <summary>True when trying again may succeed (<see cref="ConsoleStatus.InternalError"/>: a storage fault on the device).</summary>
        public bool IsTransient
        {
            get { return Status == ConsoleStatus.InternalError; }
        }

        private static ProvisioningDiagnostic Diagnose(ConsoleProtocolException remote)
        {
            if (remote == null)
            {
                throw new System.ArgumentNullException("remote");
            }

            byte[] detail = remote.GetRemoteDetail();
            if (detail.Length == 0)
            {
                return new ProvisioningDiagnostic(string.Empty, ProvisioningPayloadError.None, StagedItems.None);
            }

            try
            {
                return ProvisioningDiagnostic.Decode(detail);
            }
            catch (ProvisioningPayloadException)
            {
                // The diagnostic is advisory: an undecodable one must not hide the refusal itself.
                return new ProvisioningDiagnostic("(undecodable diagnostic of " + detail.Length.ToString() + " bytes)", ProvisioningPayloadError.None, StagedItems.None);
            }
        }
    }
}
