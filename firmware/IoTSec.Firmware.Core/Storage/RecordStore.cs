using System;
using IoTSec.Firmware.Platform;
using IoTSec.Protocol.Console;

namespace IoTSec.Firmware.Storage
{
    /// <summary>
    /// One small record (up to <see cref="MaxRecordLength"/> bytes) kept so that a power cut in
    /// the middle of an update leaves either the old or the new value, never a mixture: the
    /// lifecycle state, the heartbeat chain head, the provisioned identity's pointer, the A/B
    /// slot flags all live in one each.
    /// </summary>
    /// <remarks>
    /// Two copies, <c>NAME.0</c> and <c>NAME.1</c>, each
    /// <c>magic "IREC" | generation (u32 BE) | length (u32 BE) | payload | CRC-32 of all before</c>.
    /// A write goes to the copy that does not hold the newest valid value, with the next
    /// generation; a read takes the valid copy with the higher generation. A torn write breaks
    /// only the copy being written, whose CRC then fails. This is the scheme of MCUboot's swap
    /// status and of most EEPROM-emulation layers; <see cref="IFlashStore"/> has no rename, so
    /// nothing here depends on one.
    /// </remarks>
    public sealed class RecordStore
    {
        /// <summary>Largest payload accepted.</summary>
        public const int MaxRecordLength = 16384;

        private const int HeaderLength = 12;
        private const int TrailerLength = 4;
        private static readonly byte[] Magic = new byte[] { 0x49, 0x52, 0x45, 0x43 };

        private readonly IFlashStore _flash;
        private readonly string _name;

        /// <summary>Creates a store for the record <paramref name="name"/>.</summary>
        /// <param name="flash">Where the two copies live.</param>
        /// <param name="name">The record's name (at most 30 characters; ".0" and ".1" are appended).</param>
        public RecordStore(IFlashStore flash, string name)
        {
            if (flash == null)
            {
                throw new ArgumentNullException("flash");
            }

            if (name == null || name.Length == 0 || name.Length > 30)
            {
                throw new ArgumentException("A record name is 1 to 30 characters.", "name");
            }

            _flash = flash;
            _name = name;
        }

        /// <summary>Reads the newest intact value.</summary>
        /// <returns>The payload, or null when the record was never written (or both copies are damaged).</returns>
        public byte[] Read()
        {
            Copy first = ReadCopy(0);
            Copy second = ReadCopy(1);
            Copy newest = Newer(first, second);
            return newest == null ? null : newest.Payload;
        }

        /// <summary>Replaces the value; when this returns, a later <see cref="Read"/> sees it, power cut or not.</summary>
        /// <param name="payload">The new value (the array is not kept).</param>
        /// <exception cref="FlashException">The medium failed.</exception>
        public void Write(byte[] payload)
        {
            if (payload == null)
            {
                throw new ArgumentNullException("payload");
            }

            if (payload.Length > MaxRecordLength)
            {
                throw new ArgumentException("A record holds at most " + MaxRecordLength + " bytes.", "payload");
            }

            Copy first = ReadCopy(0);
            Copy second = ReadCopy(1);
            Copy newest = Newer(first, second);
            uint generation = newest == null ? 1u : newest.Generation + 1u;
            int target = newest != null && newest.Index == 0 ? 1 : 0;

            byte[] image = new byte[HeaderLength + payload.Length + TrailerLength];
            Array.Copy(Magic, 0, image, 0, 4);
            BigEndian.PutUInt32(image, 4, generation);
            BigEndian.PutUInt32(image, 8, (uint)payload.Length);
            Array.Copy(payload, 0, image, HeaderLength, payload.Length);
            BigEndian.PutUInt32(image, HeaderLength + payload.Length, Crc32.Compute(image, 0, HeaderLength + payload.Length));

            _flash.Write(CopyName(target), 0, image, 0, image.Length);
        }

        /// <summary>Erases both copies (factory reset). Each delete is atomic; a cut between them leaves the older copy, which a later erase removes.</summary>
        public void Erase()
        {
            // Delete the older copy first, so a cut in between never resurrects an older value
            // over the newest one: what is left is the newest, which Erase is asked to remove
            // again on the next attempt.
            Copy first = ReadCopy(0);
            Copy second = ReadCopy(1);
            Copy newest = Newer(first, second);
            int newestIndex = newest == null ? 1 : newest.Index;
            _flash.Delete(CopyName(1 - newestIndex));
            _flash.Delete(CopyName(newestIndex));
        }

        private string CopyName(int index)
        {
            return index == 0 ? _name + ".0" : _name + ".1";
        }

        private Copy ReadCopy(int index)
        {
            string name = CopyName(index);
            long length = _flash.GetLength(name);
            if (length < HeaderLength + TrailerLength)
            {
                return null;
            }

            long wanted = length > HeaderLength + MaxRecordLength + TrailerLength ? HeaderLength + MaxRecordLength + TrailerLength : length;
            byte[] image = new byte[(int)wanted];
            int read = _flash.Read(name, 0, image, 0, image.Length);
            if (read < HeaderLength + TrailerLength)
            {
                return null;
            }

            for (int i = 0; i < 4; i++)
            {
                if (image[i] != Magic[i])
                {
                    return null;
                }
            }

            uint payloadLength = BigEndian.GetUInt32(image, 8);
            if (payloadLength > MaxRecordLength || HeaderLength + (int)payloadLength + TrailerLength > read)
            {
                return null;
            }

            int body = HeaderLength + (int)payloadLength;
            if (Crc32.Compute(image, 0, body) != BigEndian.GetUInt32(image, body))
            {
                return null;
            }

            byte[] payload = new byte[payloadLength];
            Array.Copy(image, HeaderLength, payload, 0, payload.Length);
            return new Copy(index, BigEndian.GetUInt32(image, 4), payload);
        }

        private static Copy Newer(Copy a, Copy b)
        {
            if (a == null)
            {
                return b;
            }

            if (b == null)
            {
                return a;
            }

            // Serial-number arithmetic (RFC 1982) so that the generation may wrap.
            return (int)(b.Generation - a.Generation) > 0 ? b : a;
        }


        private sealed class Copy
        {
            public Copy(int index, uint generation, byte[] payload)
            {
                Index = index;
                Generation = generation;
                Payload = payload;
            }

            public int Index { get; private set; }

            public uint Generation { get; private set; }

            public byte[] Payload { get; private set; }
        }
    }
}
