package org.civicpoints.api.catalog;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Photos made in the test, each the kind of file a phone (or an attacker) would send. */
final class TestPhotos {

  /** The GPS latitude written into {@link #jpegWithGps}: 39° 54' 27.12" N (Beijing). */
  static final byte[] LATITUDE_RATIONALS =
      ByteBuffer.allocate(24)
          .order(ByteOrder.LITTLE_ENDIAN)
          .putInt(39)
          .putInt(1)
          .putInt(54)
          .putInt(1)
          .putInt(2712)
          .putInt(100)
          .array();

  private TestPhotos() {}

  static BufferedImage gradient(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = image.createGraphics();
    graphics.setPaint(new GradientPaint(0, 0, Color.ORANGE, width, height, Color.BLUE));
    graphics.fillRect(0, 0, width, height);
    graphics.dispose();
    return image;
  }

  static byte[] png(int width, int height) {
    return encode(gradient(width, height), "png");
  }

  static byte[] jpeg(int width, int height) {
    return encode(gradient(width, height), "jpeg");
  }

  /** Random pixels compress badly: a valid JPEG of several MB. */
  static byte[] noisyPng(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(7);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt());
      }
    }
    return encode(image, "png");
  }

  /**
   * A JPEG as a phone writes it: an APP1 Exif segment right after SOI whose IFD0 points to a GPS
   * IFD (latitude ref N, latitude 39/1 54/1 2712/100, longitude ref E).
   */
  static byte[] jpegWithGps(int width, int height) {
    return withApp1(jpeg(width, height), exifWithGps());
  }

  /**
   * A JPEG as a phone shooting upright writes it: the sensor's landscape pixels ({@code width ×
   * height}, a red block in their top-left corner, the rest blue) and EXIF orientation {@code
   * orientation} (6: turn 90° clockwise to show).
   */
  static byte[] jpegWithOrientation(int width, int height, int orientation) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = image.createGraphics();
    graphics.setColor(Color.BLUE);
    graphics.fillRect(0, 0, width, height);
    graphics.setColor(Color.RED);
    graphics.fillRect(0, 0, width / 4, height / 4);
    graphics.dispose();
    ByteBuffer tiff = ByteBuffer.allocate(26).order(ByteOrder.BIG_ENDIAN);
    tiff.put("MM".getBytes(StandardCharsets.US_ASCII)).putShort((short) 42).putInt(8);
    // IFD0 at 8: one entry, Orientation (0x0112, SHORT, 1 value), then no next IFD.
    tiff.putShort((short) 1).putShort((short) 0x0112).putShort((short) 3).putInt(1);
    tiff.putShort((short) orientation).putShort((short) 0).putInt(0);
    return withApp1(encode(image, "jpeg"), exif(tiff.array()));
  }

  private static byte[] withApp1(byte[] plain, byte[] exif) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(plain, 0, 2); // SOI
    out.write(0xFF);
    out.write(0xE1);
    int length = exif.length + 2;
    out.write(length >> 8);
    out.write(length & 0xFF);
    out.writeBytes(exif);
    out.write(plain, 2, plain.length - 2);
    return out.toByteArray();
  }

  private static byte[] exif(byte[] tiff) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(tiff);
    return out.toByteArray();
  }

  private static byte[] exifWithGps() {
    ByteBuffer tiff = ByteBuffer.allocate(92).order(ByteOrder.LITTLE_ENDIAN);
    tiff.put("II".getBytes(StandardCharsets.US_ASCII)).putShort((short) 42).putInt(8);
    // IFD0 at 8: one entry, GPSInfo (0x8825, LONG) → the GPS IFD at 26.
    tiff.putShort((short) 1).putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(26);
    tiff.putInt(0);
    // GPS IFD at 26: three entries; the latitude's rationals at 68.
    tiff.putShort((short) 3);
    tiff.putShort((short) 1).putShort((short) 2).putInt(2).put(new byte[] {'N', 0, 0, 0});
    tiff.putShort((short) 2).putShort((short) 5).putInt(3).putInt(68);
    tiff.putShort((short) 3).putShort((short) 2).putInt(2).put(new byte[] {'E', 0, 0, 0});
    tiff.putInt(0);
    tiff.put(LATITUDE_RATIONALS);
    return exif(tiff.array());
  }

  /**
   * A decompression bomb's head: a valid PNG signature and IHDR declaring {@code width × height}
   * pixels, then a few bytes of data (the server must refuse before decoding anything).
   */
  static byte[] pngDeclaring(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    chunk(
        out,
        "IHDR",
        ByteBuffer.allocate(13)
            .putInt(width)
            .putInt(height)
            .put(new byte[] {8, 2, 0, 0, 0})
            .array());
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00});
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(name);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /** 640 × 480, made with libwebp's cwebp (lossy VP8). */
  static byte[] webp() {
    try (InputStream in = TestPhotos.class.getResourceAsStream("/evidence/photo-640x480.webp")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BufferedImage decode(byte[] bytes) {
    try {
      return ImageIO.read(new java.io.ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The markers of a JPEG's segments before its image data (SOS), e.g. 0xE0 for APP0. */
  static List<Integer> jpegMarkers(byte[] jpeg) {
    List<Integer> markers = new ArrayList<>();
    int i = 2;
    while (i + 3 < jpeg.length && (jpeg[i] & 0xFF) == 0xFF) {
      int marker = jpeg[i + 1] & 0xFF;
      markers.add(marker);
      if (marker == 0xDA) {
        break;
      }
      i += 2 + (((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF));
    }
    return markers;
  }

  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
