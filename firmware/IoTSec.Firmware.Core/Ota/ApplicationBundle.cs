using System;
using IoTSec.Firmware.Storage;

namespace IoTSec.Firmware.Ota
{
    /// <summary>
    /// What a slot holds on nanoFramework: the application's .pe assemblies, in load order,
    /// with their names, and the entry type the loader starts (docs/protocols/app-bundle.md).
    /// The loader calls <see cref="Parse"/> on the slot the boot selector chose, then
    /// <c>Assembly.Load(GetAssembly(i))</c> for each, then the entry type's <c>Main</c>.
    /// </summary>
    /// <remarks>
    /// <para>Layout (big-endian):</para>
    /// <code>
    /// "IAPB" | version (1) | count N (1-32) | entry-name length E (1-128) | entry type name (E ASCII)
    /// N times: name length L (1-64) | name (L ASCII) | PE length P (u32, 1 to 4 MiB) | PE bytes
    /// </code>
    /// <para>
    /// The parser is strict and bounded by the image: every length is checked against the
    /// bytes left before anything is copied, names use a closed character set, duplicates
    /// and trailing bytes are refused. It does not authenticate anything: the slot's SHA-256
    /// was checked against the signed manifest by the boot selector before the loader gets here.
    /// </para>
    /// </remarks>
    public sealed class ApplicationBundle
    {
        /// <summary>The format version this parser reads.</summary>
        public const int FormatVersion = 1;

        /// <summary>Most assemblies in a bundle.</summary>
        public const int MaxAssemblies = 32;

        /// <summary>Longest entry type name.</summary>
        public const int MaxEntryTypeNameLength = 128;

        /// <summary>Longest assembly name.</summary>
        public const int MaxAssemblyNameLength = 64;

        /// <summary>Largest assembly.</summary>
        public const int MaxAssemblyLength = 4 * 1024 * 1024;

        private static readonly byte[] Magic = new byte[] { 0x49, 0x41, 0x50, 0x42 };

        private readonly byte[] _image;
        private readonly string[] _names;
        private readonly int[] _offsets;
        private readonly int[] _lengths;

        private ApplicationBundle(byte[] image, string entryTypeName, string[] names, int[] offsets, int[] lengths)
        {
            _image = image;
            EntryTypeName = entryTypeName;
            _names = names;
            _offsets = offsets;
            _lengths = lengths;
        }

        /// <summary>The fully qualified name of the type whose static <c>Main()</c> starts the application.</summary>
        public string EntryTypeName { get; private set; }

        /// <summary>Number of assemblies.</summary>
        public int AssemblyCount
        {
            get { return _names.Length; }
        }

        /// <summary>The name of assembly <paramref name="index"/> (its file name without ".pe").</summary>
        /// <param name="index">0 to <see cref="AssemblyCount"/> - 1, in load order.</param>
        /// <returns>The name.</returns>
        public string GetAssemblyName(int index)
        {
            CheckIndex(index);
            return _names[index];
        }

        /// <summary>The length of assembly <paramref name="index"/> in bytes.</summary>
        /// <param name="index">0 to <see cref="AssemblyCount"/> - 1.</param>
        /// <returns>The length.</returns>
        public int GetAssemblyLength(int index)
        {
            CheckIndex(index);
            return _lengths[index];
        }

        /// <summary>The .pe bytes of assembly <paramref name="index"/> (a new array, as <c>Assembly.Load</c> takes it).</summary>
        /// <param name="index">0 to <see cref="AssemblyCount"/> - 1.</param>
        /// <returns>The bytes.</returns>
        public byte[] GetAssembly(int index)
        {
            CheckIndex(index);
            byte[] copy = new byte[_lengths[index]];
            Array.Copy(_image, _offsets[index], copy, 0, copy.Length);
            return copy;
        }

        /// <summary>Parses a slot image. The array is kept (not copied) until the bundle is dropped.</summary>
        /// <param name="image">The slot's bytes.</param>
        /// <returns>The bundle.</returns>
        /// <exception cref="BundleRejectedException">The image is not a well-formed bundle; the reason says why.</exception>
        public static ApplicationBundle Parse(byte[] image)
        {
            if (image == null)
            {
                throw new ArgumentNullException("image");
            }

            Need(image, 0, 7, "the header");
            for (int i = 0; i < Magic.Length; i++)
            {
                if (image[i] != Magic[i])
                {
                    throw new BundleRejectedException(BundleRejection.BadMagic, "the image does not start with \"IAPB\"");
                }
            }

            if (image[4] != FormatVersion)
            {
                throw new BundleRejectedException(BundleRejection.UnsupportedVersion, "format version " + image[4].ToString() + " is not " + FormatVersion.ToString());
            }

            int count = image[5];
            if (count < 1 || count > MaxAssemblies)
            {
                throw new BundleRejectedException(BundleRejection.BadAssemblyCount, "the bundle lists " + count.ToString() + " assemblies, 1 to " + MaxAssemblies.ToString() + " allowed");
            }

            int entryLength = image[6];
            if (entryLength < 1 || entryLength > MaxEntryTypeNameLength)
            {
                throw new BundleRejectedException(BundleRejection.BadEntryTypeName, "the entry type name has " + entryLength.ToString() + " characters, 1 to " + MaxEntryTypeNameLength.ToString() + " allowed");
            }

            Need(image, 7, entryLength, "the entry type name");
            string entryTypeName = ReadName(image, 7, entryLength, true);
            if (entryTypeName == null)
            {
                throw new BundleRejectedException(BundleRejection.BadEntryTypeName, "the entry type name at offset 7 is not a dotted name of A-Z a-z 0-9 _");
            }

            int offset = 7 + entryLength;
            string[] names = new string[count];
            int[] offsets = new int[count];
            int[] lengths = new int[count];
            for (int i = 0; i < count; i++)
            {
                Need(image, offset, 1, "assembly " + i.ToString() + "'s name length");
                int nameLength = image[offset];
                if (nameLength < 1 || nameLength > MaxAssemblyNameLength)
                {
                    throw new BundleRejectedException(BundleRejection.BadAssemblyName, "assembly " + i.ToString() + "'s name has " + nameLength.ToString() + " characters, 1 to " + MaxAssemblyNameLength.ToString() + " allowed");
                }

                Need(image, offset + 1, nameLength, "assembly " + i.ToString() + "'s name");
                string name = ReadName(image, offset + 1, nameLength, false);
                if (name == null)
                {
                    throw new BundleRejectedException(BundleRejection.BadAssemblyName, "assembly " + i.ToString() + "'s name at offset " + (offset + 1).ToString() + " has a character outside A-Z a-z 0-9 . _ -");
                }

                for (int j = 0; j < i; j++)
                {
                    if (SameIgnoringAsciiCase(names[j], name))
                    {
                        throw new BundleRejectedException(BundleRejection.DuplicateAssemblyName, "assemblies " + j.ToString() + " and " + i.ToString() + " are both named " + name);
                    }
                }

                offset += 1 + nameLength;
                Need(image, offset, 4, "assembly " + name + "'s length");
                uint length = BigEndian.GetUInt32(image, offset);
                if (length < 1 || length > MaxAssemblyLength)
                {
                    throw new BundleRejectedException(BundleRejection.BadAssemblyLength, "assembly " + name + " has length " + length.ToString() + ", 1 to " + MaxAssemblyLength.ToString() + " allowed");
                }

                offset += 4;
                Need(image, offset, (int)length, "assembly " + name);
                names[i] = name;
                offsets[i] = offset;
                lengths[i] = (int)length;
                offset += (int)length;
            }

            if (offset != image.Length)
            {
                throw new BundleRejectedException(BundleRejection.TrailingBytes, (image.Length - offset).ToString() + " bytes follow the last assembly at offset " + offset.ToString());
            }

            return new ApplicationBundle(image, entryTypeName, names, offsets, lengths);
        }

        /// <summary>Builds a bundle (for the release tool and tests); the arguments follow the same rules <see cref="Parse"/> checks.</summary>
        /// <param name="entryTypeName">The entry type's full name.</param>
        /// <param name="names">Assembly names in load order.</param>
        /// <param name="assemblies">Their .pe bytes, same order.</param>
        /// <returns>The image.</returns>
        public static byte[] Build(string entryTypeName, string[] names, byte[][] assemblies)
        {
            if (entryTypeName == null || names == null || assemblies == null || names.Length != assemblies.Length)
            {
                throw new ArgumentException("an entry type name and as many names as assemblies are required");
            }

            byte[] entry = OtaBytes.AsciiBytes(entryTypeName);
            if (entry == null || entry.Length < 1 || entry.Length > MaxEntryTypeNameLength || names.Length < 1 || names.Length > MaxAssemblies)
            {
                throw new ArgumentException("bad entry type name or assembly count");
            }

            int total = 7 + entry.Length;
            for (int i = 0; i < names.Length; i++)
            {
                if (names[i] == null || names[i].Length < 1 || names[i].Length > MaxAssemblyNameLength || assemblies[i] == null || assemblies[i].Length < 1 || assemblies[i].Length > MaxAssemblyLength)
                {
                    throw new ArgumentException("assembly " + i.ToString() + " has a bad name or length");
                }

                total += 1 + names[i].Length + 4 + assemblies[i].Length;
            }

            byte[] image = new byte[total];
            Array.Copy(Magic, 0, image, 0, Magic.Length);
            image[4] = FormatVersion;
            image[5] = (byte)names.Length;
            image[6] = (byte)entry.Length;
            Array.Copy(entry, 0, image, 7, entry.Length);
            int offset = 7 + entry.Length;
            for (int i = 0; i < names.Length; i++)
            {
                byte[] name = OtaBytes.AsciiBytes(names[i]);
                if (name == null)
                {
                    throw new ArgumentException("assembly " + i.ToString() + " has a bad name");
                }

                image[offset] = (byte)name.Length;
                Array.Copy(name, 0, image, offset + 1, name.Length);
                offset += 1 + name.Length;
                BigEndian.PutUInt32(image, offset, (uint)assemblies[i].Length);
                offset += 4;
                Array.Copy(assemblies[i], 0, image, offset, assemblies[i].Length);
                offset += assemblies[i].Length;
            }

            // What was built must parse: the same rules, one implementation.
            Parse(image);
            return image;
        }

        private static void Need(byte[] image, int offset, int count, string what)
        {
            if (count < 0 || offset > image.Length || image.Length - offset < count)
            {
                throw new BundleRejectedException(BundleRejection.Truncated, "the image ends inside " + what + " (offset " + offset.ToString() + ", " + count.ToString() + " bytes needed, " + (image.Length - offset).ToString() + " left)");
            }
        }

        /// <summary>The name, or null when a character is outside the set (type names: dotted identifiers; assembly names: also '-').</summary>
        private static string ReadName(byte[] image, int offset, int count, bool typeName)
        {
            char[] chars = new char[count];
            for (int i = 0; i < count; i++)
            {
                byte b = image[offset + i];
                bool letterOrDigit = (b >= (byte)'A' && b <= (byte)'Z') || (b >= (byte)'a' && b <= (byte)'z') || (b >= (byte)'0' && b <= (byte)'9') || b == (byte)'_';
                bool ok = letterOrDigit || b == (byte)'.' || (!typeName && b == (byte)'-');
                if (!ok)
                {
                    return null;
                }

                if (typeName && b == (byte)'.' && (i == 0 || i == count - 1 || image[offset + i - 1] == (byte)'.'))
                {
                    return null;
                }

                chars[i] = (char)b;
            }

            if (!typeName && chars[0] == '.')
            {
                return null;
            }

            return new string(chars);
        }

        private static bool SameIgnoringAsciiCase(string a, string b)
        {
            if (a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                char x = a[i];
                char y = b[i];
                if (x >= 'A' && x <= 'Z')
                {
                    x = (char)(x + 32);
                }

                if (y >= 'A' && y <= 'Z')
                {
                    y = (char)(y + 32);
                }

                if (x != y)
                {
                    return false;
                }
            }

            return true;
        }

        private void CheckIndex(int index)
        {
            if (index < 0 || index >= _names.Length)
            {
                throw new ArgumentOutOfRangeException("index");
            }
        }
    }
}
