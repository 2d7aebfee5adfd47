def test_delta_round_trip(spark, tmp_path):
    path = str(tmp_path / "t")
    spark.createDataFrame([(1, "a")], "id INT, v STRING").write.format("delta").save(path)
    assert spark.read.format("delta").load(path).collect()[0]["v"] == "a"
