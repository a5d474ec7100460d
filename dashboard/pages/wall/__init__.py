"""The province wall ("/"): its content from one snapshot, its charts, its map (boundaries or hexagons, labels) and the
legibility rule."""
