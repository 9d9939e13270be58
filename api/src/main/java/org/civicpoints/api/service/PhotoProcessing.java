package org.civicpoints.api.service;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * of the upload survives. Blocking and CPU-bound: runs on a worker, never on an event loop.
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
    BufferedImage photo = scaled(decoded, LONG_SIDE);
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
