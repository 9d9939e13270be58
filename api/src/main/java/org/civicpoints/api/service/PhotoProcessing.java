package org.civicpoints.api.service;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.ProcessedPhoto;

/**
 * Turns an upload into what is kept: the real type is read from the bytes (the Content-Type header
 * is never trusted), the declared size is checked before any pixel is decoded (a small file can
 * declare a gigapixel image), and only the pixels are re-encoded, so no EXIF, GPS or other metadata
 * of the upload survives. A phone's EXIF orientation is applied to the pixels first, since the kept
 * file no longer says how to turn them. Blocking and CPU-bound: runs on a worker, never on an event
 * loop.
 */
final class PhotoProcessing {

  static final int LONG_SIDE = 1600;
  static final int THUMBNAIL_LONG_SIDE = 320;

  /** Phone cameras write up to ~50 MP; decoding more would cost hundreds of MB. */
  static final long MAX_PIXELS = 50_000_000L;

  private static final float QUALITY = 0.85f;

  /** The formats kept, by their signature; ImageIO reader names. */
  enum Format {
    JPEG("jpeg"),
    PNG("png"),
    WEBP("webp");

    final String reader;

    Format(String reader) {
      this.reader = reader;
    }
  }

  private PhotoProcessing() {}

  static ProcessedPhoto process(byte[] upload) {
    Format format = sniff(upload);
    BufferedImage decoded = decode(upload, format);
    BufferedImage photo = upright(scaled(decoded, LONG_SIDE), orientation(upload, format));
    return new ProcessedPhoto(jpeg(photo), jpeg(scaled(photo, THUMBNAIL_LONG_SIDE)));
  }

  /** The format the bytes are, whatever the request said. */
  static Format sniff(byte[] bytes) {
    if (startsWith(bytes, 0, 0xFF, 0xD8, 0xFF)) {
      return Format.JPEG;
    }
    if (startsWith(bytes, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return Format.PNG;
    }
    if (startsWith(bytes, 0, 'R', 'I', 'F', 'F') && startsWith(bytes, 8, 'W', 'E', 'B', 'P')) {
      return Format.WEBP;
    }
    throw new DomainException(ErrorCode.IMAGE_TYPE_UNSUPPORTED, "notAPhoto", Map.of());
  }

  private static boolean startsWith(byte[] bytes, int offset, int... signature) {
    if (bytes.length < offset + signature.length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if ((bytes[offset + i] & 0xFF) != signature[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The EXIF orientation (1 to 8; 1 = as stored) of a JPEG's APP1 segment, read from IFD0's tag
   * 0x0112; 1 for other formats and for anything missing or malformed.
   */
  static int orientation(byte[] jpeg, Format format) {
    int at = 2;
    while (format == Format.JPEG && at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF) {
      int marker = jpeg[at + 1] & 0xFF;
      int length = ((jpeg[at + 2] & 0xFF) << 8) | (jpeg[at + 3] & 0xFF);
      if (marker == 0xDA) {
        break;
      }
      if (marker == 0xE1 && startsWith(jpeg, at + 4, 'E', 'x', 'i', 'f', 0, 0)) {
        int size = Math.max(0, Math.min(length - 8, jpeg.length - at - 10));
        return exifOrientation(ByteBuffer.wrap(jpeg, at + 10, size).slice());
      }
      at += 2 + length;
    }
    return 1;
  }

  private static int exifOrientation(ByteBuffer tiff) {
    try {
      tiff.order(tiff.get(0) == 'M' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
      int ifd = tiff.getInt(4);
      int entries = tiff.getShort(ifd) & 0xFFFF;
      for (int i = 0; i < entries; i++) {
        int entry = ifd + 2 + 12 * i;
        if ((tiff.getShort(entry) & 0xFFFF) == 0x0112) {
          int value = tiff.getShort(entry + 8) & 0xFFFF;
          return value >= 1 && value <= 8 ? value : 1;
        }
      }
    } catch (IndexOutOfBoundsException malformed) {
      // A broken EXIF block says nothing about orientation: the pixels are kept as stored.
    }
    return 1;
  }

  /** The pixels turned (and mirrored) as EXIF {@code orientation} says they are to be shown. */
  static BufferedImage upright(BufferedImage image, int orientation) {
    if (orientation == 1) {
      return image;
    }
    int width = image.getWidth();
    int height = image.getHeight();
    boolean turned = orientation >= 5;
    int outWidth = turned ? height : width;
    int[] source = image.getRGB(0, 0, width, height, null, 0, width);
    int[] target = new int[source.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int tx =
            switch (orientation) {
              case 2, 3 -> width - 1 - x;
              case 5, 8 -> y;
              case 6, 7 -> height - 1 - y;
              default -> x;
            };
        int ty =
            switch (orientation) {
              case 3, 4 -> height - 1 - y;
              case 5, 6 -> x;
              case 7, 8 -> width - 1 - x;
              default -> y;
            };
        target[ty * outWidth + tx] = source[y * width + x];
      }
    }
    BufferedImage result =
        new BufferedImage(outWidth, turned ? width : height, BufferedImage.TYPE_INT_RGB);
    result.setRGB(0, 0, outWidth, turned ? width : height, target, 0, outWidth);
    return result;
  }

  private static BufferedImage decode(byte[] upload, Format format) {
    ImageReader reader = readerOf(format);
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(upload))) {
      reader.setInput(in, true, true);
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      if ((long) width * height > MAX_PIXELS) {
        throw new DomainException(
            ErrorCode.IMAGE_UNREADABLE,
            "tooManyPixels",
            Map.of("width", width, "height", height, "megapixels", MAX_PIXELS / 1_000_000));
      }
      BufferedImage image = reader.read(0, subsampled(width, height));
      if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
        throw unreadable();
      }
      return image;
    } catch (IOException | RuntimeException broken) {
      if (broken instanceof DomainException refused) {
        throw refused;
      }
      // A truncated or corrupt file: the decoders say so with IOExceptions or runtime exceptions.
      throw unreadable();
    } finally {
      reader.dispose();
    }
  }

  private static DomainException unreadable() {
    return new DomainException(ErrorCode.IMAGE_UNREADABLE, "corrupt", Map.of());
  }

  private static ImageReader readerOf(Format format) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.reader);
    if (!readers.hasNext()) {
      throw new IllegalStateException("No ImageIO reader for " + format);
    }
    return readers.next();
  }

  /**
   * Large photos are decoded at every n-th pixel, still at least twice the kept size, so a 50 MP
   * photo never occupies 200 MB as pixels.
   */
  private static ImageReadParam subsampled(int width, int height) {
    ImageReadParam param = new ImageReadParam();
    int step = Math.max(1, Math.max(width, height) / (2 * LONG_SIDE));
    param.setSourceSubsampling(step, step, 0, 0);
    return param;
  }

  /**
   * An RGB copy with the long side at most {@code longSide}; transparency over white (JPEG has
   * none).
   */
  static BufferedImage scaled(BufferedImage image, int longSide) {
    double factor =
        Math.min(1.0, (double) longSide / Math.max(image.getWidth(), image.getHeight()));
    BufferedImage current = image;
    // Halving steps, then one bilinear step: one big bilinear step would drop most pixels.
    while (factor < 0.5) {
      current = drawn(current, current.getWidth() / 2, current.getHeight() / 2);
      factor *= 2;
    }
    int width = Math.max(1, (int) Math.round(current.getWidth() * factor));
    int height = Math.max(1, (int) Math.round(current.getHeight() * factor));
    return drawn(current, width, height);
  }

  private static BufferedImage drawn(BufferedImage source, int width, int height) {
    BufferedImage target =
        new BufferedImage(Math.max(1, width), Math.max(1, height), BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = target.createGraphics();
    try {
      graphics.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      graphics.setColor(Color.WHITE);
      graphics.fillRect(0, 0, target.getWidth(), target.getHeight());
      graphics.drawImage(source, 0, 0, target.getWidth(), target.getHeight(), null);
    } finally {
      graphics.dispose();
    }
    return target;
  }

  /** Pixels only: no metadata is handed to the writer, so it writes a bare JFIF file. */
  static byte[] jpeg(BufferedImage image) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(QUALITY);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException impossible) {
      throw new UncheckedIOException("Writing a JPEG to memory failed", impossible);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
