using IoTSec.Protocol.Console;

namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// The device's provisioning console: decodes each request's payload, applies
    /// <see cref="ProvisioningRules"/>, reassembles chunked writes, and drives the device's
    /// <see cref="IProvisioningTarget"/>. Plug it into a <see cref="ConsoleServerSession"/>,
    /// which calls it at most once per request however the line duplicates frames.
    /// </summary>
    /// <remarks>
    /// Bad payloads are answered with <see cref="ConsoleStatus.BadPayload"/> and a
    /// <see cref="ProvisioningDiagnostic"/> naming the reason; refusals by rule with
    /// <see cref="ConsoleStatus.Locked"/> or <see cref="ConsoleStatus.NotStaged"/> and a
    /// diagnostic. No outside input makes it throw; an exception from the target (a storage
    /// fault) propagates, and the session answers <see cref="ConsoleStatus.InternalError"/>.
    /// Not thread-safe: the session calls it from the firmware's main loop.
    /// </remarks>
    public sealed class ProvisioningConsoleHandler : IConsoleCommandHandler
    {
        private readonly IProvisioningTarget _target;
        private readonly ChunkAssembler _assembler = new ChunkAssembler();
        private string _lastRefusal = string.Empty;

        /// <summary>Creates the handler.</summary>
        /// <param name="target">The device's provisioning store.</param>
        public ProvisioningConsoleHandler(IProvisioningTarget target)
        {
            if (target == null)
            {
                throw new System.ArgumentNullException("target");
            }

            _target = target;
        }

        /// <summary>Requests refused (any status but Ok), for the device's log and heartbeat.</summary>
        public int Refusals { get; private set; }

        /// <summary>Requests refused with <see cref="ConsoleStatus.BadPayload"/>.</summary>
        public int PayloadsRefused { get; private set; }

        /// <summary>The status of the last refusal (Ok if none yet).</summary>
        public ConsoleStatus LastRefusalStatus { get; private set; }

        /// <summary>The payload error of the last BadPayload refusal (None if none yet).</summary>
        public ProvisioningPayloadError LastPayloadError { get; private set; }

        /// <summary>The message of the last refusal (empty if none yet).</summary>
        public string LastRefusal
        {
            get { return _lastRefusal; }
        }

        /// <summary>The item of an incomplete chunked write, or None.</summary>
        public StagedItems TransferInProgress
        {
            get { return _assembler.Item; }
        }

        /// <inheritdoc/>
        public byte Handle(byte command, byte[] payload, out byte[] response)
        {
            var code = (ConsoleCommand)command;
            if (!IsProvisioningCommand(code))
            {
                return Refuse(ConsoleStatus.UnknownCommand, ConsoleNames.Command(command) + " is not a provisioning command", ProvisioningPayloadError.None, StagedItems.None, out response);
            }

            DeviceInfo info = _target.GetInfo();
            string refusal;
            ConsoleStatus status = ProvisioningRules.CheckLockGate(code, info, out refusal);
            if (status != ConsoleStatus.Ok)
            {
                return Refuse(status, refusal, ProvisioningPayloadError.None, StagedItems.None, out response);
            }

            ProvisioningRequest request;
            try
            {
                request = ProvisioningPayloads.DecodeRequestCore(command, payload, false);
            }
            catch (ProvisioningPayloadException e)
            {
                if (ProvisioningPayloads.ItemOf(code) != StagedItems.None)
                {
                    // A refused chunk abandons the transfer: the tool restarts at offset 0.
                    _assembler.Abandon();
                }

                return RefusePayload(e, out response);
            }

            switch (code)
            {
                case ConsoleCommand.Hello:
                    // Speak the lower of the two versions; the tool decides whether it can.
                    int version = request.ProtocolVersion < ProvisioningPayloads.ProtocolVersion ? request.ProtocolVersion : ProvisioningPayloads.ProtocolVersion;
                    response = new HelloResponse(version, info.HardwareId).Encode();
                    return (byte)ConsoleStatus.Ok;
                case ConsoleCommand.Info:
                    response = info.Encode();
                    return (byte)ConsoleStatus.Ok;
                case ConsoleCommand.ReadBack:
                    return ReadBack(out response);
                case ConsoleCommand.Commit:
                    return Commit(info, out response);
                case ConsoleCommand.Lock:
                    return Lock(info, request.HardwareId, out response);
                case ConsoleCommand.FactoryReset:
                    return FactoryReset(info, request.HardwareId, out response);
                default:
                    return Write(request, out response);
            }
        }

        private static bool IsProvisioningCommand(ConsoleCommand command)
        {
            switch (command)
            {
                case ConsoleCommand.Hello:
                case ConsoleCommand.Info:
                case ConsoleCommand.WriteBirthCertificate:
                case ConsoleCommand.WriteBirthKey:
                case ConsoleCommand.WriteTrustAnchors:
                case ConsoleCommand.WriteConfiguration:
                case ConsoleCommand.ReadBack:
                case ConsoleCommand.Commit:
                case ConsoleCommand.Lock:
                case ConsoleCommand.FactoryReset:
                    return true;
                default:
                    return false;
            }
        }

        private byte Write(ProvisioningRequest request, out byte[] response)
        {
            byte[] complete;
            bool done;
            try
            {
                done = _assembler.Accept(request.Item, request.Chunk, out complete);
            }
            catch (ProvisioningPayloadException e)
            {
                return RefusePayload(e, out response);
            }

            if (!done)
            {
                response = new WriteProgress(_assembler.Received, false).Encode();
                return (byte)ConsoleStatus.Ok;
            }

            int length = complete.Length;
            try
            {
                ProvisioningPayloads.CheckItem(request.Item, complete, request);
            }
            catch (ProvisioningPayloadException e)
            {
                // It may be (part of) a private key that failed its check: do not leave it in RAM.
                System.Array.Clear(complete, 0, complete.Length);
                return RefusePayload(e, out response);
            }

            switch (request.Item)
            {
                case StagedItems.BirthCertificate:
                    _target.StageBirthCertificate(complete);
                    break;
                case StagedItems.BirthKey:
                    _target.StageBirthKey(complete);
                    break;
                case StagedItems.TrustAnchors:
                    _target.StageTrustAnchors(request.TrustAnchors);
                    break;
                default:
                    _target.StageConfiguration(request.Configuration);
                    break;
            }

            response = new WriteProgress(length, true).Encode();
            return (byte)ConsoleStatus.Ok;
        }

        private byte ReadBack(out byte[] response)
        {
            StagedDigests digests = _target.GetStagedDigests();
            string refusal;
            ConsoleStatus status = ProvisioningRules.CheckReadBack(digests, out refusal);
            if (status != ConsoleStatus.Ok)
            {
                return Refuse(status, refusal, ProvisioningPayloadError.None, StagedItems.None, out response);
            }

            response = digests.Encode();
            return (byte)ConsoleStatus.Ok;
        }

        private byte Commit(DeviceInfo info, out byte[] response)
        {
            StagedItems missing;
            string refusal;
            ConsoleStatus status = ProvisioningRules.CheckCommit(info, _assembler.Item, out missing, out refusal);
            if (status != ConsoleStatus.Ok)
            {
                return Refuse(status, refusal, ProvisioningPayloadError.None, missing, out response);
            }

            _target.Commit();
            response = new byte[0];
            return (byte)ConsoleStatus.Ok;
        }

        private byte Lock(DeviceInfo info, string hardwareId, out byte[] response)
        {
            try
            {
                ProvisioningRules.CheckConfirmation(info, hardwareId);
            }
            catch (ProvisioningPayloadException e)
            {
                return RefusePayload(e, out response);
            }

            string refusal;
            ConsoleStatus status = ProvisioningRules.CheckLock(info, _assembler.Item, out refusal);
            if (status != ConsoleStatus.Ok)
            {
                return Refuse(status, refusal, ProvisioningPayloadError.None, StagedItems.None, out response);
            }

            _target.Lock();
            response = new byte[0];
            return (byte)ConsoleStatus.Ok;
        }

        private byte FactoryReset(DeviceInfo info, string hardwareId, out byte[] response)
        {
            try
            {
                ProvisioningRules.CheckConfirmation(info, hardwareId);
            }
            catch (ProvisioningPayloadException e)
            {
                return RefusePayload(e, out response);
            }

            _assembler.Abandon();
            _target.FactoryReset();
            response = new byte[0];
            return (byte)ConsoleStatus.Ok;
        }

        private byte RefusePayload(ProvisioningPayloadException e, out byte[] response)
        {
            PayloadsRefused++;
            LastPayloadError = e.Reason;
            return Refuse(ConsoleStatus.BadPayload, e.Message, e.Reason, StagedItems.None, out response);
        }

        private byte Refuse(ConsoleStatus status, string message, ProvisioningPayloadError payloadError, StagedItems missing, out byte[] response)
        {
            Refusals++;
            LastRefusalStatus = status;
            _lastRefusal = message;
            response = new ProvisioningDiagnostic(message, payloadError, missing).Encode();
            return (byte)status;
        }
    }
}
