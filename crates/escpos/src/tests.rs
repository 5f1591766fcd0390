use super::*;

/// A deterministic test picture: a border, a diagonal and a checker block, on `w × h`.
fn picture(w: usize, h: usize) -> Raster {
    let mut r = Raster::blank(w, h).unwrap();
    for y in 0..h {
        for x in 0..w {
            let border = x == 0 || y == 0 || x == w - 1 || y == h - 1;
            let diagonal = x * h / w == y;
            let checker = x > w / 2 && y > h / 2 && (x / 3 + y / 3) % 2 == 0;
            r.set(x, y, border || diagonal || checker);
        }
    }
    r
}

#[test]
fn a_white_8_by_8_image_is_one_band_of_one_byte_rows() {
    let bytes = encode(&Raster::blank(8, 8).unwrap(), Job::default());
    let mut want = vec![0x1b, 0x40, 0x1d, 0x76, 0x30, 0, 1, 0, 8, 0];
    want.extend([0; 8]);
    want.extend([0x1b, 0x64, 4, 0x1d, 0x56, 1]);
    assert_eq!(bytes, want);
}

#[test]
fn tall_receipts_go_in_bands_of_255_rows_and_decode_to_the_same_pixels() {
    for width in WIDTHS {
        let r = picture(usize::from(width), 600);
        let bytes = encode(&r, Job::default());
        // 600 rows: 255 + 255 + 90
        let x = usize::from(width) / 8;
        let bands: Vec<usize> = bytes
            .windows(3)
            .enumerate()
            .filter(|(_, w)| *w == [0x1d, 0x76, 0x30])
            .map(|(i, _)| usize::from(bytes[i + 6]) | usize::from(bytes[i + 7]) << 8)
            .collect();
        assert_eq!(bands, [255, 255, 90], "{width}");
        assert_eq!(bytes.len(), 2 + 3 * 8 + x * 600 + 6);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.pages, vec![r]);
        assert_eq!((d.inits, d.feeds.as_slice()), (1, &[4][..]));
    }
}

#[test]
fn copies_and_the_drawer_kick_are_what_was_asked() {
    let r = picture(384, 40);
    let job = Job {
        copies: 2,
        drawer: Some(Drawer::Pin2),
    };
    let bytes = encode(&r, job);
    assert_eq!(&bytes[..7], &[0x1b, 0x40, 0x1b, 0x70, 0, 25, 25]);
    let d = decode(&bytes).unwrap();
    assert_eq!(d.pages, vec![r.clone(), r]);
    assert_eq!(d.drawer_kicks, [0]);
}

#[test]
fn canvas_pixels_are_thresholded_over_white() {
    // black, dark grey, light grey, transparent black, faint black (over white: light)
    let px = [
        [0, 0, 0, 255],
        [100, 100, 100, 255],
        [200, 200, 200, 255],
        [0, 0, 0, 0],
        [0, 0, 0, 100],
        [255, 255, 255, 255],
        [0, 0, 0, 255],
        [0, 0, 0, 255],
    ];
    let rgba: Vec<u8> = px.iter().flatten().copied().collect();
    let r = Raster::from_rgba(8, 1, &rgba, 128).unwrap();
    assert_eq!(r.bits(), &[0b1100_0011]);
    assert_eq!(
        Raster::from_rgba(8, 2, &rgba, 128),
        Err(RasterError::Size {
            expected: 64,
            got: 32
        })
    );
    assert_eq!(Raster::blank(390, 1), Err(RasterError::Width(390)));
}

#[test]
fn streams_the_decoder_does_not_know_are_refused_by_offset() {
    let ok = encode(&picture(8, 4), Job::default());
    assert_eq!(
        decode(&ok[..ok.len() - 1]).unwrap_err().offset,
        ok.len() - 3
    );
    let mut text = ok.clone();
    text.insert(2, b'A');
    assert_eq!(decode(&text).unwrap_err().offset, 2);
    let uncut = &ok[..ok.len() - 3];
    assert!(decode(uncut).is_err());
}

#[test]
fn status_bytes_say_paper_out_cover_open_and_offline() {
    let s = Status::default();
    assert!(s.read(StatusQuery::Printer, 0b0001_0110).unwrap().ready());
    assert!(s.read(StatusQuery::Printer, 0b0001_1110).unwrap().offline);
    assert!(
        s.read(StatusQuery::Offline, 0b0001_0110)
            .unwrap()
            .cover_open
    );
    assert!(s.read(StatusQuery::Paper, 0b0111_0010).unwrap().paper_out);
    assert_eq!(s.read(StatusQuery::Paper, 0xff), None);
    assert_eq!(StatusQuery::Paper.bytes(), [0x10, 0x04, 4]);
}
