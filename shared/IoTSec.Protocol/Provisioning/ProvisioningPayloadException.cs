using IoTSec.Protocol.Cbor;

namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// A provisioning payload (a request on the device, an answer on the tool) or an item
    /// (certificate, key, trust anchors, configuration) that breaks its format. The only
    /// exception the provisioning decoders throw for bad input: malformed CBOR
    /// (<see cref="CborException"/>) is mapped into it, so callers catch one type. The
    /// device's handler answers it with <see cref="Console.ConsoleStatus.BadPayload"/> and the
    /// reason in the diagnostic.
    /// </summary>
#pragma warning disable CA1032 // Standard constructors: an exception without a reason would carry no diagnosis; mscorlib v1 has no serialization constructor either.
    public sealed class ProvisioningPayloadException : System.Exception
#pragma warning restore CA1032
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="reason">Why the payload was refused.</param>
        /// <param name="message">A sentence naming the payload, the field and the problem.</param>
        public ProvisioningPayloadException(ProvisioningPayloadError reason, string message)
            : base(message)
        {
            Reason = reason;
        }

        /// <summary>Creates the exception for malformed CBOR, keeping the CBOR reason and offset.</summary>
        /// <param name="reason">Why the payload was refused.</param>
        /// <param name="message">A sentence naming the payload and the problem.</param>
        /// <param name="inner">The CBOR reader's exception.</param>
        public ProvisioningPayloadException(ProvisioningPayloadError reason, string message, System.Exception inner)
            : base(message, inner)
        {
            Reason = reason;
        }

        /// <summary>Why the payload was refused.</summary>
        public ProvisioningPayloadError Reason { get; }

        /// <summary>Names a reason, e.g. "ChunkOutOfOrder (10)" (the nanoFramework runtime keeps no enum names).</summary>
        /// <param name="reason">The reason.</param>
        /// <returns>The name and the wire value.</returns>
        public static string ReasonName(ProvisioningPayloadError reason)
        {
            string name;
            switch (reason)
            {
                case ProvisioningPayloadError.None: name = "None"; break;
                case ProvisioningPayloadError.Malformed: name = "Malformed"; break;
                case ProvisioningPayloadError.WrongType: name = "WrongType"; break;
                case ProvisioningPayloadError.MissingField: name = "MissingField"; break;
                case ProvisioningPayloadError.UnknownField: name = "UnknownField"; break;
                case ProvisioningPayloadError.OutOfRange: name = "OutOfRange"; break;
                case ProvisioningPayloadError.InvalidText: name = "InvalidText"; break;
                case ProvisioningPayloadError.UnexpectedPayload: name = "UnexpectedPayload"; break;
                case ProvisioningPayloadError.NotDer: name = "NotDer"; break;
                case ProvisioningPayloadError.ItemTooLarge: name = "ItemTooLarge"; break;
                case ProvisioningPayloadError.ChunkOutOfOrder: name = "ChunkOutOfOrder"; break;
                case ProvisioningPayloadError.ChunkBeyondTotal: name = "ChunkBeyondTotal"; break;
                case ProvisioningPayloadError.TotalLengthChanged: name = "TotalLengthChanged"; break;
                case ProvisioningPayloadError.UnknownAnchorKind: name = "UnknownAnchorKind"; break;
                case ProvisioningPayloadError.DuplicateKeyId: name = "DuplicateKeyId"; break;
                case ProvisioningPayloadError.MissingAnchorKind: name = "MissingAnchorKind"; break;
                case ProvisioningPayloadError.InvalidCoseKey: name = "InvalidCoseKey"; break;
                case ProvisioningPayloadError.HardwareIdMismatch: name = "HardwareIdMismatch"; break;
                case ProvisioningPayloadError.BadMagic: name = "BadMagic"; break;
                case ProvisioningPayloadError.UnsupportedVersion: name = "UnsupportedVersion"; break;
                case ProvisioningPayloadError.ProgressMismatch: name = "ProgressMismatch"; break;
                case ProvisioningPayloadError.UnknownCommand: name = "UnknownCommand"; break;
                case ProvisioningPayloadError.NotPkcs8: name = "NotPkcs8"; break;
                default: name = "Error"; break;
            }

            return name + " (" + ((int)reason).ToString() + ")";
        }

        /// <summary>Maps a CBOR reader's refusal into the payload's terms.</summary>
        /// <param name="e">The CBOR exception.</param>
        /// <param name="what">The payload being decoded, e.g. "Info answer".</param>
        /// <returns>The exception to throw.</returns>
        internal static ProvisioningPayloadException FromCbor(CborException e, string what)
        {
            ProvisioningPayloadError reason;
            switch (e.Reason)
            {
                case CborError.UnexpectedType:
                    reason = ProvisioningPayloadError.WrongType;
                    break;
                case CborError.IntegerOverflow:
                    reason = ProvisioningPayloadError.OutOfRange;
                    break;
                default:
                    reason = ProvisioningPayloadError.Malformed;
                    break;
            }

            return new ProvisioningPayloadException(reason, what + ": " + e.Message, e);
        }
    }
}
