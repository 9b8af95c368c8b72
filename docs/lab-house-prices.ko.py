# %% [markdown]
# # 실습: 집값 예측 (보스턴 주택 데이터)
#
# 이 회귀 실습은 앞 장들에서 배운 것을 하나의 프로그램으로 묶는다. 보스턴의 한 동네를 설명하는
# 피쳐 13개로부터 그 동네 주택 가격의 중앙값을 예측하는 선형 모델을 만든다. 먼저 이 책의 바탕이 된
# 강의 자료([강의 자료에 대해](../#the-lecture-deck))의 코드를 쓰인 그대로 실행하고, 그 코드가 무엇을
# 잘못하는지 측정한 다음, 실무자라면 작성했을 버전을 만들고, 마지막으로 두 버전을 선형 모델이 이론적으로
# 도달할 수 있는 최선과 비교한다. 끝에는 연습문제 세 개가 있고, 문제마다 풀이와 답을 확인하는 코드가
# 딸려 있다.
#
# 이 실습은 노트북이다. 페이지 제목 아래의 링크에서 노트북을 내려받거나 Colab에서 열어 실행한다. 첫
# 코드 셀이 데이터 파일 `boston.csv`를 책의 사이트에서 내려받아 노트북 옆의 `data`라는 폴더에
# 넣는다. 파일이 이미 있으면 내려받지 않는다(오프라인에서 작업하려면 같은 링크에서 `boston.csv`를
# 미리 내려받아 그 폴더에 넣어 둔다). 책의 저장소를 클론했다면 저장소 최상위 폴더에서
# `python docs/lab-house-prices.py`(한국어판은 `python docs/lab-house-prices.ko.py`)를 실행해도
# 된다. 이 데이터셋이 무엇이고 어디에서 왔으며 어떤 문제가 있는지는 저장소의 `data/README.md`에
# 설명되어 있다.

# %%
import hashlib
import os
import urllib.request
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch
from torch import nn
from torch.optim import Adam
from torch.utils.data import DataLoader, TensorDataset

# Jupyter에서 그림을 선명하게 그린다(스크립트로 실행하면 다음 줄은 주석일 뿐):
# %config InlineBackend.figure_formats = ["retina"]

# 데이터 파일을 검사한다. 아직 없으면 먼저 책의 사이트에서
# 내려받는다(BOOK_URL로 미러를 지정할 수 있다). 내려받지 못했거나 파일이
# 책의 것과 다르면, 나중에 원인을 알기 어려운 오류를 내는 대신 여기서
# 분명한 메시지를 내고 멈춘다.
DATA = Path("data/boston.csv")
SHA256 = "24ec814c9b6c5bb1cae0f6d203636413195ade13a34b62920787599f63eefd7e"
BOOK_URL = os.environ.get(
    "BOOK_URL", "https://deep-learning-with-pytorch.github.io/book/")
if not DATA.is_file():
    url = f"{BOOK_URL.rstrip('/')}/data/{DATA.name}"
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            content = response.read()
    except OSError as error:
        raise FileNotFoundError(
            f"{DATA.resolve()} 파일이 없고, {url}에서 내려받지도 못했다"
            f"({error}). 오프라인인가? 실습 페이지에서 boston.csv를"
            " 내려받아 노트북 옆의 data 폴더에 넣어라."
        ) from None
    DATA.parent.mkdir(exist_ok=True)
    DATA.write_bytes(content)
if hashlib.sha256(DATA.read_bytes()).hexdigest() != SHA256:
    raise ValueError(f"{DATA.resolve()} 파일이 책에 실린 파일과 다르다"
                     "(SHA-256). 지우고 다시 실행하면 새로 내려받는다")

# %% [markdown]
# ## 데이터
#
# 506개의 행은 각각 1970년 보스턴 지역의 인구조사 구역 하나이다. 앞의 13개 열이 피쳐이고, `medv`가
# 타겟이다. `medv`는 소유자가 거주하는 주택 가격의 중앙값이며 단위는 천 달러이다. 강의 자료는
# DataFrame에서 피쳐와 타겟을 NumPy 배열로 꺼낸다.

# %%
bostonDF = pd.read_csv(DATA)

# DataFrame ===> Feature 추출
X = bostonDF.iloc[:, :13].values
Y = bostonDF['medv'].values
print(f'X : {type(X)}, {X.shape}\nY : {type(Y)}, {Y.shape}')
print("features:", ", ".join(bostonDF.columns[:13]))

# %% [markdown]
# 강의 자료가 작성된 뒤로 한 가지가 바뀌었다. pandas 3은 읽기 전용 배열을 내준다(copy-on-write). 그런데
# `torch.FloatTensor(Y[start:end])`는 먼저 이 읽기 전용 배열을 감싸므로, PyTorch는 거기에 값을 쓰면
# 동작이 정의되지 않는다고 한 번 경고한다. 실제로 돌려받는 텐서는 float32로 바꾼 복사본이므로 여기서는
# 해가 없는 경고이다. 출력을 읽기 쉽게 하려고 바로 그 경고 하나만 끈다. 덧붙이면 `torch.FloatTensor`는
# 옛 코드를 위해 남겨 둔 구식 생성자이다. 새 코드라면 `torch.tensor(Y, dtype=torch.float32)`라고 쓴다.
# 이 방법은 데이터를 복사하므로 경고가 나오지 않으며, 아래의 고친 버전도 이렇게 한다. 흔히 쓰는 다른
# 방법인 `torch.from_numpy(Y).float()`는 먼저 배열 자체를 감싸므로 여기서도 경고가 나온다.

# %%
print("Y can be written to:", Y.flags.writeable)
warnings.filterwarnings("ignore", "The given NumPy array is not writable")

# %% [markdown]
# ## 강의 자료의 학습 루프를 쓰인 그대로
#
# 강의 자료의 설정과 모델이다. 입력 13개, 출력 1개인 선형 층 하나를 Adam으로 학습시킨다. 시드는
# 실행할 때마다 같은 숫자가 나오도록 우리가 넣은 것이다.

# %%
# 학습 횟수 및 한번에 학습할 데이터 크기 설정
EPOCHS = 500
BATCH_SIZE = 100
LR = 0.001

torch.manual_seed(0)
linear_model = nn.Linear(13, 1)
deck_start = [p.detach().clone() for p in linear_model.parameters()]

# 가중치/절편 최적화 방법 설정
optimizer = Adam(linear_model.parameters(), lr=LR)

# %% [markdown]
# 루프는 강의 자료의 것을 한국어 주석까지 한 줄 한 줄 그대로 옮겼다. "added"라고 표시한 네 줄은
# 아래에서 학습 곡선을 그리려고 에포크마다 평균 손실을 기록할 뿐이며, 루프가 하는 일은 하나도
# 바꾸지 않는다. 이 평균은 그 에포크의 배치 다섯 개의 손실을 평균한 값이고, 각 손실은 그 배치로
# 업데이트하기 직전에 잰 것이다. 가중치는 에포크 동안 계속 바뀌므로, 이 값은 에포크가 끝났을 때의
# 가중치로 잰 손실과 꼭 같지는 않다.

# %%
deck_curve = []  # added
for epoch in range(EPOCHS):
    epoch_loss = 0.0  # added
    for i in range(len(X)//BATCH_SIZE):
        start = i*BATCH_SIZE
        end = start + BATCH_SIZE

        # ndarray ==> tensor변환
        x = torch.FloatTensor(X[start:end])
        y = torch.FloatTensor(Y[start:end])

        optimizer.zero_grad()
        pre_y = linear_model(x)
        loss = nn.MSELoss()(pre_y, y.reshape(-1,1))
        loss.backward()
        optimizer.step()
        epoch_loss += loss.item() / (len(X)//BATCH_SIZE)  # added
    deck_curve.append(epoch_loss)  # added
print(f"training loss (MSE) after {EPOCHS} epochs: {deck_curve[-1]:.2f}")

# %% [markdown]
# 강의 자료의 평가 방법이다. 첫 번째 주택의 가격을 예측해 실제 가격과 비교한다.

# %%
# 모델 성능 평가
pre = linear_model(torch.FloatTensor(X[0, :13]))
pre, Y[0]

# %% [markdown]
# 모델은 실제 가격이 24.0인 주택의 가격을 약 29.7(천 달러)로 예측한다. 이 정도면 좋은 것일까? 이런 비교로는
# 알 수 없는데, 그 이유는 다음 절에서 살펴본다.

# %% [markdown]
# ## 강의 자료의 루프가 잘못한 것
#
# 루프는 실행되고 손실도 내려가므로 다 된 것처럼 보인다. 하지만 잘못된 점이 네 가지 있고, 각각을 측정할
# 수 있다.
#
# **1. 여섯 채의 주택은 한 번도 쓰이지 않는다.** `len(X) // BATCH_SIZE`는 내림을 한다. 506개의 행은
# 100개씩 5개의 배치가 되고, 500~505번 행은 500에포크 내내 한 번도 쓰이지 않는다.

# %%
batches = len(X) // BATCH_SIZE
seen = set()
for i in range(batches):
    seen.update(range(i * BATCH_SIZE, i * BATCH_SIZE + BATCH_SIZE))
never_seen = sorted(set(range(len(X))) - seen)
print(f"{batches} batches of {BATCH_SIZE} per epoch")
print(f"rows never seen: {never_seen}")

# %% [markdown]
# `DataLoader`는 이와 달리 남은 행으로 마지막에 더 작은 배치를 하나 만든다(`drop_last=True`로 요청할
# 때만 그 행들을 버린다). 그래서 모든 행이 학습에 쓰인다.
#
# **2. 섞지 않는다.** 행은 원래 연구의 순서대로 놓여 있고, 이웃한 행은 같은 도시(town)의 이웃한 구역이다.
# 그런데 루프는 모든 에포크에서 같은 다섯 배치를 같은 순서로 잘라 낸다. 이 배치들은 데이터를 대표하는
# 표본과는 거리가 멀고(배치별 평균 가격이 15.5부터 29.9까지 걸쳐 있다), 모든 에포크의 마지막
# 업데이트는 언제나 같은 백 채의 주택, 즉 다섯 배치 중 가장 싼 배치에서 나온다.

# %%
for i in range(batches):
    rows = slice(i * BATCH_SIZE, (i + 1) * BATCH_SIZE)
    print(f"batch {i}: rows {rows.start:3}-{rows.stop - 1}, "
          f"mean price {Y[rows].mean():5.2f}")
print(f"all rows:              mean price {Y.mean():5.2f}")

# %% [markdown]
# **3. 스케일을 맞추지 않은 피쳐와, 목표에 도달할 수 없는 학습률.** 피쳐들의 스케일은 서로 매우
# 다르다. 각 열의 표준편차는 약 0.1부터 약 170까지 걸쳐 있다.

# %%
spread = pd.Series(X.std(axis=0), index=bostonDF.columns[:13])
print(spread.round(3).sort_values().to_string())

# %% [markdown]
# 원래 피쳐를 그대로 쓸 때 가장 좋은 선형 모델은 최소제곱해이다. 바로 다음 셀이 `np.linalg.lstsq`로
# 이를 곧장 계산하는데(설명은 아래 '하한' 절에 있다), 절편이 약 36.5, `nox`의 가중치가 약 −17.8이다.

# %%
design = np.c_[X, np.ones(len(X))]  # 절편을 맡는, 1로 채운 열
raw_best, *_ = np.linalg.lstsq(design, Y, rcond=None)
print(f"least squares, raw features: intercept {raw_best[-1]:.1f}, "
      f"nox weight {raw_best[4]:.1f}")

# %% [markdown]
# Adam은 기울기를 그 크기의 이동 평균으로 나누므로, 기울기가 크다고 스텝이 길어지지
# 않는다([옵티마이저 장](../optimizers/#adam)에서 기울기의 스케일이 어떻든 첫 스텝이 `LR`임을 보인다).
# 부호와 크기가 일정한 기울기는 그 크기가 얼마든 파라미터를 매 스텝 `LR`만큼 움직이고, 미니배치마다
# 기울기가 엇갈리면 덜 움직인다. 스텝을 더 길게, `LR`의 몇 배로 만드는 것은 스텝마다 계속 커지는
# 기울기뿐이다. 그러니 기울기가 계속 커지지 않는 한, Adam은 파라미터를 매 스텝 많아야 `LR` 정도씩
# 움직인다. 지어낸 기울기 네 가지를 각각 Adam에 2,500스텝 동안 넣어 보면 다음과 같다.

# %%
noise = np.random.default_rng(0).standard_normal(2500)
made_up = {"0.01 at every step": np.full(2500, 0.01),
           "100 at every step": np.full(2500, 100.0),
           "noisy: mean 1, spread 3": 1 + 3 * noise,
           "growing 11 % a step": 1.11 ** np.arange(2500)}
# Adam은 파라미터의 원소를 저마다 따로 다룬다. 그래서 지어낸 기울기마다
# 원소를 하나씩 준, 원소 4개짜리 파라미터 하나로 네 경우를 한꺼번에 돌린다.
gradients = torch.tensor(np.stack(list(made_up.values()), axis=1))
parameter = torch.zeros(len(made_up), dtype=torch.float64,
                        requires_grad=True)
optimizer = Adam([parameter], lr=LR)
made_up_steps = []
for gradient in gradients:
    before = parameter.detach().clone()
    parameter.grad = gradient
    optimizer.step()
    made_up_steps.append((before - parameter.detach()) / LR)
made_up_steps = torch.stack(made_up_steps)  # 스텝마다 한 행, LR 단위
for name, taken in zip(made_up, made_up_steps.T):
    print(f"{name:23}: longest step {taken.abs().max():.2f} x LR, "
          f"moved {taken.sum() * LR:5.2f}")

# %% [markdown]
# 강의 자료의 루프는 500 × 5 = 2,500스텝을 진행한다. 한 스텝에 많아야 `LR` 정도이므로 파라미터는
# 출발점에서 2.5 정도 갈 수 있을 뿐이고, 36.5나 −17.8에는 어림도 없다. 실제로 가장 멀리 간 파라미터가
# 움직인 거리는 다음과 같다.

# %%
steps = EPOCHS * batches
moved = max((p.detach() - p0).abs().max().item()
            for p, p0 in zip(linear_model.parameters(), deck_start))
print(f"{steps} steps x LR {LR} = {steps * LR:.1f}")
print(f"the farthest any parameter moved: {moved:.2f}")

# %% [markdown]
# 그렇다면 강의 자료의 모델은 최선의 적합에서 얼마나 떨어져 있을까? 루프가 학습에 쓰는 500개 행에 대한
# 최소제곱 손실은, 어떤 선형 모델이든 이 행들에서 도달할 수 있는 가장 낮은 손실이다. 아래에서는 여기에
# 강의 자료의 학습 손실, 곧 가중치가 아직 움직이는 동안 잰 마지막 에포크의 배치 손실 평균을 견주고,
# 루프가 끝났을 때의 가중치로 같은 행에서 잰 손실도 함께 견준다.

# %%
used = slice(0, batches * BATCH_SIZE)
deck_best, *_ = np.linalg.lstsq(design[used], Y[used], rcond=None)
deck_floor = np.mean((design[used] @ deck_best - Y[used]) ** 2)
with torch.no_grad():
    deck_prices = linear_model(torch.FloatTensor(X[used])).squeeze(1)
deck_final = np.mean((deck_prices.numpy() - Y[used]) ** 2)
print(f"the deck's training loss:        {deck_curve[-1]:.2f}")
print(f"its final weights, same rows:    {deck_final:.2f}")
print(f"least-squares floor, same rows:  {deck_floor:.2f}")

# %% [markdown]
# 어느 쪽으로 재든, 500번의 에포크가 끝나도 강의 자료의 손실은 하한의 두 배가 넘고, 여전히 천천히
# 떨어지고 있을 뿐이다. 정말 스케일이 원인일까? 강의 자료의 루프를 그대로(같은 행, 같은 순서, 같은 배치)
# 다시 돌리되, 피쳐와 타겟만 표준화(standardisation)한다. 각 열에서 평균을 빼고 표준편차로 나누는
# 것이다. (강의 자료에는 데이터 분리가 없으므로 여기서는 모든 행의 통계량을 쓴다. 아래의 고친 버전은
# 이를 제대로 한다.)

# %%
X_scaled = (X - X.mean(axis=0)) / X.std(axis=0)
Y_scaled = (Y - Y.mean()) / Y.std()
torch.manual_seed(0)
scaled_model = nn.Linear(13, 1)
optimizer = Adam(scaled_model.parameters(), lr=LR)
for epoch in range(EPOCHS):
    for i in range(len(X)//BATCH_SIZE):
        start = i*BATCH_SIZE
        end = start + BATCH_SIZE
        x = torch.FloatTensor(X_scaled[start:end])
        y = torch.FloatTensor(Y_scaled[start:end])
        optimizer.zero_grad()
        loss = nn.MSELoss()(scaled_model(x), y.reshape(-1, 1))
        loss.backward()
        optimizer.step()
with torch.no_grad():
    scaled_prices = scaled_model(torch.FloatTensor(X_scaled[used])).squeeze(1)
scaled_prices = scaled_prices.numpy() * Y.std() + Y.mean()
scaled_loss = np.mean((scaled_prices - Y[used]) ** 2)
print(f"the deck's loop on standardised data: {scaled_loss:.2f}")
print(f"least-squares floor, same rows:       {deck_floor:.2f}")

# %% [markdown]
# 다른 것은 하나도 바꾸지 않았는데, 강의 자료의 루프가 이제 하한과 1% 이내의 차이로 끝난다. 표준화한
# 단위에서는 최선의 적합이 요구하는 모든 가중치가 Adam이 닿을 수 있는 범위 안에 있다.
#
# **4. 학습에 쓴 행으로 평가한다.** 0번 주택은 모든 에포크의 첫 번째 배치에 들어 있었다. 모델은 이
# 주택에 500번 맞춰졌다. 그러니 이 주택의 예측이 얼마나 가까운지는, 정작 유일하게 중요한 질문인 '처음
# 보는 주택에서 모델이 얼마나 잘하는가'에 대해 아무것도 말해 주지 않는다. 이 질문에 답하려면 모델이 한
# 번도 학습하지 않은 데이터가 필요하다.

# %% [markdown]
# ## 제대로 하기
#
# **먼저 나눈다.** 행을 (시드를 고정해) 한 번 섞고, 60%는 학습용, 20%는 검증용, 20%는 테스트용으로
# 둔다. 테스트용 데이터로는 아무것도 고르지 않는다. 모든 선택이 끝난 뒤에야, 고른 모델이 얼마나 잘하는지
# 보고하는 데만 쓴다. 여기서는 모든 설정이 강의 자료의 것이므로 검증용 데이터는 지켜보기만 한다. 실제
# 작업에서는 이 검증용 데이터를 보고 학습률이나 학습을 멈출 에포크를 고른다. (앞 장에서는
# 70/15/15로 나누었다. 주택이 506개뿐이므로, 검증용과 테스트용 손실이 덜 흔들리도록 두 몫을 조금 더 크게
# 잡는다.)

# %%
generator = torch.Generator().manual_seed(0)
order = torch.randperm(len(bostonDF), generator=generator).numpy()
n_test = n_validation = len(order) // 5
test_rows = order[:n_test]
validation_rows = order[n_test:n_test + n_validation]
train_rows = order[n_test + n_validation:]
print(f"train {len(train_rows)}, validation {len(validation_rows)}, "
      f"test {len(test_rows)} rows")

# %% [markdown]
# **학습용 데이터의 통계만으로 표준화한다.** 각 피쳐를 (값 − 평균) / 표준편차로 바꾸되, 평균과 표준편차는
# *학습용* 행에서 구한다. 모든 행에서 구하면 검증용 주택과 테스트용 주택의 정보가 학습에 새어 들어간다.
# 타겟도 같은 방법으로 표준화한다. 그러면 모델에 필요한 절편이 약 23이 아니라 0 근처가 된다(`LR = 0.001`인
# Adam은 한 스텝에 많아야 `LR` 정도씩 움직이므로, 23까지 가려면 20,000스텝 넘게 필요하다). 손실을
# 보고하기 전에는 예측값을 다시 천 달러 단위로 되돌린다.

# %%
def standardised(columns):
    """분할마다의 피쳐와 타겟. 피쳐는 학습용 분할의 평균과 표준편차로
    표준화한다."""
    features = bostonDF[columns].to_numpy(dtype=np.float32)
    target = bostonDF["medv"].to_numpy(dtype=np.float32)
    mean = features[train_rows].mean(axis=0)
    spread = features[train_rows].std(axis=0)
    rows = {"train": train_rows, "validation": validation_rows,
            "test": test_rows}
    return {name: (torch.tensor((features[r] - mean) / spread),
                   torch.tensor(target[r]))
            for name, r in rows.items()}


FEATURES = list(bostonDF.columns[:13])
splits = standardised(FEATURES)
train_prices = splits["train"][1]
price_mean = train_prices.mean()
price_spread = train_prices.std(correction=0)
for name, (features, target) in splits.items():
    print(f"{name:10}: feature means from {features.mean(0).min():5.2f} "
          f"to {features.mean(0).max():5.2f}")

# %% [markdown]
# 이제 모든 학습용 피쳐는 (반올림 오차를 빼면) 평균이 0이고 표준편차가 1이다. 검증용과 테스트용 피쳐의 평균은
# 0에 가깝지만 정확히 0은 아니다. 이 피쳐들은 자신이 기여하지 않은 통계로 스케일이 조정되었기 때문이다.
# 학습이 끝난 모델이 만나게 될 주택들도 마찬가지이다.
#
# **데이터를 섞는 `DataLoader`로 학습한다.** 모델, 옵티마이저, 설정은 강의 자료와 같다(`EPOCHS = 500`,
# `BATCH_SIZE = 100`, `LR = 0.001`인 Adam). `DataLoader`는 에포크마다 학습용 행을 새로 섞고, 마지막의
# 더 작은 배치도 남겨 둔다. 에포크가 끝날 때마다 모델을 평가 모드로 바꾸고 기울기를
# 기록하지 않은 채(둘 다 학습 과정 장의
# [`model.train()`과 `model.eval()`](../training-workflow/#modeltrain-and-modeleval) 절에서 설명한다),
# 학습용 데이터 전체와 검증용 데이터에서 손실을 천 달러의 제곱 단위로 측정한다. 학습 루프는 학습 단계의
# [다섯 줄](../training-step/#the-five-lines-one-at-a-time) 그대로이다. (`train`은 학습률, 에포크 수, 모델을
# 인자로 받으며, 기본값은 강의 자료의 설정이다. 끝의 연습문제에서 이 값들을 바꾼다.)

# %%
def predict(model, features):
    """표준화된 단위의 모델 출력을 천 달러 단위의 가격으로 되돌린다."""
    model.eval()
    with torch.no_grad():
        return model(features).squeeze(1) * price_spread + price_mean


def mse(model, features, target):
    """평균 제곱 오차. 단위는 천 달러의 제곱이다."""
    return ((predict(model, features) - target) ** 2).mean().item()


def train(splits, lr=LR, epochs=EPOCHS, model=None):
    """Adam으로 모델(주지 않으면 강의 자료의 선형 모델)을 학습시키고, 그
    모델과 에포크마다 잰 손실을 돌려준다."""
    torch.manual_seed(0)
    features, target = splits["train"]
    if model is None:
        model = nn.Linear(features.shape[1], 1)
    optimizer = Adam(model.parameters(), lr=lr)
    scaled_target = (target - price_mean) / price_spread
    loader = DataLoader(TensorDataset(features, scaled_target),
                        batch_size=BATCH_SIZE, shuffle=True,
                        generator=torch.Generator().manual_seed(0))
    curves = {"train": [], "validation": []}
    for epoch in range(epochs):
        model.train()
        for x, y in loader:
            optimizer.zero_grad()
            loss = nn.MSELoss()(model(x), y.reshape(-1, 1))
            loss.backward()
            optimizer.step()
        for name in curves:
            curves[name].append(mse(model, *splits[name]))
    return model, curves


model, curves = train(splits)
train_set = TensorDataset(*splits["train"])
sizes = [len(x) for x, y in DataLoader(train_set, batch_size=BATCH_SIZE)]
print(f"batch sizes in an epoch: {sizes}")
print(f"after {EPOCHS} epochs: training MSE {curves['train'][-1]:.2f}, "
      f"validation MSE {curves['validation'][-1]:.2f}")

# %% [markdown]
# ## 하한: 닫힌 형태의 최소제곱해
#
# 선형 모델과 평균 제곱 오차에 대해서는 최선의 가중치를 구하는 데 학습이 전혀 필요
# 없다. 최선의 가중치는 최소제곱 문제의 해이고, `torch.linalg.lstsq`가 이를 직접 계산한다(1로 채운 열이
# 절편을 맡는다). 어떤 학습 루프도 선형 모델의 학습 손실을 이 하한보다 낮출 수 없다. 좋은 루프라면 이
# 하한에 가까이 가야 한다.

# %%
def least_squares(splits):
    """학습 MSE가 가장 낮은 선형 모델. 닫힌 형태로 푼다."""
    features, target = splits["train"]
    ones = torch.ones(len(features), 1)
    design = torch.cat([features, ones], dim=1).double()
    scaled = ((target - price_mean) / price_spread).double().reshape(-1, 1)
    solution = torch.linalg.lstsq(design, scaled).solution
    best = nn.Linear(features.shape[1], 1)
    with torch.no_grad():
        best.weight.copy_(solution[:-1].T)
        best.bias.copy_(solution[-1])
    return best


best = least_squares(splits)
floor = {name: mse(best, *splits[name]) for name in ["train", "validation"]}
print(f"floor: training MSE {floor['train']:.2f}, "
      f"validation MSE {floor['validation']:.2f}")
fixed_gap = curves["train"][-1] / floor["train"] - 1
deck_gap = deck_curve[-1] / deck_floor - 1
print(f"the fixed loop: {100 * fixed_gap:5.1f} % above its floor")
print(f"the deck's loop: {100 * deck_gap:4.0f} % above its floor")

# %% [markdown]
# 두 루프의 학습 곡선을 각자의 하한과 함께 그린다(로그 스케일). 두 곡선이 재는 것은 똑같지 않다. 강의
# 자료의 곡선은 루프가 에포크 동안 구한 배치 손실의 평균이고, 고친 루프의 곡선은 하한과 마찬가지로 고정된
# 가중치, 곧 에포크가 끝났을 때의 가중치로 잰 손실이다. 학습이 끝날 무렵에는 그 차이가 작은데, 위에서 본
# 강의 자료의 두 숫자가 이를 보여 준다.

# %% alt="로그 스케일로 그린 학습 곡선으로, 두 그래프는 각자의 눈금을 쓴다. 왼쪽 그래프는 강의 자료의 루프로, 학습 손실이 첫 에포크 뒤 약 580에서 100에포크 뒤 약 64로 떨어진 다음 약 48까지 천천히 내려가며, 약 22인 최소제곱 하한보다 훨씬 위에 머문다. 오른쪽 그래프는 고친 루프로, 학습 손실과 검증 손실이 65 근처에서 시작해 20 근처로 떨어지고, 같은 행에서의 최소제곱 손실에 가까운 곳에서 끝난다."
fig, (left, right) = plt.subplots(1, 2, figsize=(7.5, 3.6),
                                  layout="constrained")
epochs = range(1, EPOCHS + 1)
# 강의 자료의 곡선은 에포크 동안 구한 배치 손실의 평균이고, 고친 루프의
# 곡선은 에포크가 끝났을 때의 가중치로 잰 손실이다.
left.semilogy(epochs, deck_curve, color="#D55E00", linewidth=2,
              label="training loss")
left.axhline(deck_floor, color="#000000", linestyle="--", label="floor")
left.set(title="the deck's loop", xlabel="epoch", ylabel="MSE")
right.semilogy(epochs, curves["train"], color="#0072B2", linewidth=2,
               label="training loss")
right.semilogy(epochs, curves["validation"], color="#009E73", linestyle="-.",
               linewidth=2, label="validation loss")
right.axhline(floor["train"], color="#000000", linestyle="--",
              label="floor, training")
right.axhline(floor["validation"], color="#000000", linestyle=":",
              label="least squares, validation")
right.set(title="the fixed loop", xlabel="epoch")
left.legend()
right.legend()
plt.show()

# %% [markdown]
# 두 루프는 같은 옵티마이저, 같은 학습률, 같은 에포크 수를 쓴다. 고친 루프는 오히려 스텝을 더 적게,
# 2,500번이 아니라 2,000번 업데이트한다. 그러고도 하한보다 1.6% 높은 곳에서 끝나고, 강의 자료의 루프는 자기
# 하한의 두 배가 넘는 곳에서 끝난다. (최소제곱 모델이 가장 낮은 손실을 보장하는 곳은 학습용 행뿐이다.
# 검증용 행에서는 참고선일 뿐이고, 학습한 모델이 그보다 낮아질 수도 있다.)
#
# ## 테스트, 단 한 번
#
# 맨 마지막인 지금에야 테스트용 데이터를 쓴다. 평균 제곱근 오차(root mean squared error, RMSE)는 가격과 같은 단위인 천
# 달러로 나오므로, 모델이 처음 보는 주택에서 저지르는 오차의 대표적인 크기로 읽을 수 있다.

# %%
features, target = splits["test"]
predicted = predict(model, features)
test_rmse = ((predicted - target) ** 2).mean().item() ** 0.5
print(f"test RMSE: {test_rmse:.2f} thousand dollars")
print(f"test prices range from {target.min():.1f} to {target.max():.1f}")

# %% alt="테스트용 주택 101채의 예측 가격을 실제 가격에 대해 그린 그래프. 대부분의 점은 완벽한 예측을 나타내는 대각선에서 약 5천 달러 이내에 있다. 데이터셋의 상한인 50에 걸린 주택들은 지나치게 낮게 예측되고, 값싼 주택 하나는 0보다 낮게 예측된다."
fig, ax = plt.subplots(figsize=(4.8, 4.4), layout="constrained")
ax.plot(target, predicted, "o", color="#0072B2", markersize=4,
        label="test houses")
ax.axline((0, 0), slope=1, color="#000000", linestyle="--",
          label="perfect prediction")
ax.set(xlabel="actual price (thousands of dollars)",
       ylabel="predicted price (thousands of dollars)", title="the test split")
ax.legend()
plt.show()

# %% [markdown]
# 눈에 띄는 주택이 두 종류 있다. 정확히 50인 주택은 데이터셋의 상한에 걸린 것이다. 실제 가격은 더
# 높았지만 50으로 기록되었으므로(`data/README.md`에 목록이 있다) 어떤 모델도 이 데이터로는 그 실제 가격을
# 학습할 수 없다(학습용 데이터에 든, 상한에 걸린 주택들도 적합을 아래로 끌어내린다). 그리고 선형 모델의
# 예측에는 아래쪽 경계가 없어서, 값싼 주택 하나에 대해서는 음수 가격을 예측한다.
#
# ## 모델이 학습한 것
#
# 모든 피쳐를 표준화했으므로 가중치끼리 비교할 수 있다. 각 가중치에 가격의 표준편차를 곱한 값은, 다른
# 피쳐는 그대로 두고 그 피쳐만 표준편차 하나만큼 올렸을 때 예측 가격이 변하는 양(천 달러 단위)이다.
# 막대는 학습된 가중치이고, 마름모는 최소제곱해의 가중치이다.

# %% alt="피쳐별 가중치를 표준편차당 천 달러 단위로 나타낸 그래프. 학습된 모델의 가중치는 가로 막대로, 최소제곱해의 가중치는 주황색 마름모로 표시했다. lstat(약 -3.5~-3.6)와 rm(약 +3.1)이 가장 크다. 대부분의 막대는 마름모에서 약 0.3 이내에서 끝나지만 네 개는 그렇지 않다. tax(학습 약 -0.9, 최소제곱 약 -2.3), rad(1.6 대 2.7), dis(-2.6 대 -3.0)는 마름모에 미치지 못하고, indus(-0.8 대 -0.3)는 마름모를 지나친다."
learned = (model.weight.detach().squeeze(0) * price_spread).numpy()
optimal = (best.weight.detach().squeeze(0) * price_spread).numpy()
by_size = np.argsort(np.abs(optimal))
names = np.array(FEATURES)[by_size]
fig, ax = plt.subplots(figsize=(6, 4.4), layout="constrained")
ax.barh(names, learned[by_size], color="#0072B2", label="trained (Adam)")
ax.plot(optimal[by_size], names, "D", color="#D55E00", markersize=6,
        label="least squares")
ax.axvline(0, color="#000000", linewidth=0.8)
ax.set(xlabel="thousands of dollars per standard deviation", title="weights")
ax.legend()
plt.show()

# %% [markdown]
# 학습 손실은 하한의 2% 이내인데도, 네 가중치는 최소제곱해의 값과 가깝지 않다. 가장 멀리 떨어진 것은
# `tax`(재산세율)와 `rad`(방사형 고속도로 접근성)이다. 네 열은 저마다 다른 한 열과 함께 움직인다.

# %%
weights = pd.DataFrame({"trained": learned, "least squares": optimal},
                       index=FEATURES)
weights["gap"] = (weights["trained"] - weights["least squares"]).abs()
weights = weights.sort_values("gap", ascending=False)
print(weights.head(4).round(2).to_string())
others = weights["gap"].iloc[4:]
print(f"the other {len(others)} gaps: at most {others.max():.2f}")
correlations = bostonDF[FEATURES].corr()
for name in weights.index[:4]:
    partner = correlations[name].drop(name).abs().idxmax()
    print(f"{name:5} is most correlated with {partner}: "
          f"{correlations[name][partner]:5.2f}")

# %% [markdown]
# 두 피쳐의 상관관계가 이만큼 높으면, 한 가중치를 올리고 다른 가중치를 내려도 예측값, 따라서 손실이
# 거의 변하지 않는다. 손실 곡면에는 그 방향으로 길고 거의 평평한 골짜기가 생긴다.
# [옵티마이저 장](../optimizers/#the-race)에서 경주를 벌인 골짜기와 같은 모양이다. 이 골짜기를 따라가는
# 방향의 기울기는 미니배치의 잡음에 비해 작고, 기울기의 평균을 그 전형적인 크기로 나누는 Adam은 그
# 방향으로 `LR`보다 훨씬 짧은 스텝으로 움직인다. 그래서 500에포크가 지나도 두 가중치는 아직 골짜기를 따라
# 천천히 움직이는 중이다. 각각 `nox`와 상관된 `indus`와 `dis`도 같은 종류이지만 덜 평평한 골짜기에 있고,
# 그만큼 덜 벗어나 있다. 모델은 최소제곱 모델과 거의 같은 정도로 잘 예측하지만, `rad`와 `tax`에 대해
# (그리고 그보다는 덜하지만 `indus`와 `dis`에 대해) 그 가중치가 말하는 내용은 다르다. 가중치는 모델이
# 무엇을 이용하는지를 나타낼 뿐, 무엇이 가격을 결정하는지를 나타내지 않는다. 그리고 서로 상관된 피쳐들
# 사이에서는 그 설명마저 쉽게 흔들린다.
#
# ## 데이터셋의 윤리적 문제, 그리고 그 문제 없이 얻은 결과
#
# `b` 열은 동네에 관한 중립적인 사실이 아니다. 1978년에 해리슨(Harrison)과 루빈펠드(Rubinfeld)는 인종
# 분리가 주택 가격에 영향을 준다고 가정하고 이 열을 1000 (Bk − 0.63)²으로 정의했다. 여기서 Bk는 도시
# 주민 중 흑인의 비율이다. 이 열을 쓰는 것은 모델에게 근처에 사는 사람들의 인종으로 주택 가격을 매기라고 하는 것과 같다. 게다가 제곱
# 때문에 매우 다른 두 도시가 같은 값을 가질 수 있어서, 이 열의 값만 보고는 원래 비율을 알아낼 수조차 없다. 이런 이유로
# scikit-learn은 1.0 버전에서 이 데이터셋의 로더를 사용 중단(deprecated)으로 표시했고 1.2 버전에서
# 제거했다. 이 책이 이 데이터를 쓰는 것은 오로지 강의 자료가 쓰기 때문이며, 여기서는 이 열이 없을 때
# 모델이 어떻게 되는지 보인다. 같은 파이프라인에 피쳐 13개 대신 12개를 넣고, 같은 테스트용 데이터로
# 평가한다.

# %%
without_b = [name for name in FEATURES if name != "b"]
splits_without_b = standardised(without_b)
model_without_b, curves_without_b = train(splits_without_b)
test_rmse_without_b = mse(model_without_b, *splits_without_b["test"]) ** 0.5
print(f"test RMSE with all 13 features: {test_rmse:.3f}")
print(f"test RMSE without b:            {test_rmse_without_b:.3f}")

# %% [markdown]
# 이 테스트용 데이터에서는 이 열을 빼도 오차가 소수점 셋째 자리에서만 달라진다. 모델이 이 열을 쓰기는
# 했지만(가중치가 표준편차당 약 900달러였다) 다른 피쳐들이 그 몫을 메운다. 주택 가격을 실제로 다룰
# 때는 그 목적으로 수집한 데이터셋을 쓰고, 모델이 피쳐를 쓰게 하기 전에 각 피쳐가
# 무엇을 나타내는지 먼저 물어야 한다.

# %% [markdown]
# ## 연습문제
#
# 연습문제마다 함수를 하나 작성한다. 함수를 작성하기 전에는 그 셀이 `NotImplementedError`를 낸다. 그
# 뒤에 풀이와 답 확인이 온다. 풀이는 출력을 직접 얻은 결과와 비교해 볼 수 있는 코드와, 그 코드가
# 보여 주는 것에 대한 해설이다. 실습 페이지에서는 풀이와 답 확인이 접혀 있고, 노트북에는 답 확인과,
# 풀이 대신 실습 페이지의 풀이로 가는 링크가 있다. 답 확인은 작성한 함수를 호출해 보고(할 수 있으면
# 실습의 데이터 말고 다른 데이터로도), 답이 맞으면 맞았다고, 틀리면 무엇이 틀렸는지 알려 준다. 먼저
# 답을 직접 작성하고 나서 답 확인을 실행하자. 테스트용 데이터는 원래 마지막 숫자 하나를 위한
# 것이었다. 연습문제마다 맨 끝에서 이 데이터를 한 번 더 쓰지만, 검증용 데이터로 이미 고른 모델이
# 얼마나 잘하는지 보고하는 데만 쓴다. 이 테스트 숫자들을 견주어 모델을 고른다면 테스트용 데이터는 두
# 번째 검증용 데이터가 되어 버린다. 실제 작업에서는 새로 선택을 할 때마다 새 테스트용 데이터가
# 필요하다.
#
# ### 연습문제 1: 검증용 데이터로 학습률 고르기
#
# 이 실습은 강의 자료의 `LR = 0.001`을 그대로 두고 500에포크 동안 학습했다. 그 5분의 1인 100에포크만
# 쓰기로 하고, 0.001, 0.003, 0.01, 0.03, 0.1 가운데에서 마지막 에포크 뒤의 검증 손실이 가장 낮은 학습률을
# 골라라. 다섯 모델은 다음 셀이 `train`으로 학습시켜 둔다. `sweep`에는 학습률마다 `train`이 돌려준 것,
# 곧 모델과 그 학습 곡선이 들어 있다.

# %%
sweep = {lr: train(splits, lr=lr, epochs=100)
         for lr in [0.001, 0.003, 0.01, 0.03, 0.1]}

# %% [markdown]
# 이런 `sweep`에서 학습률을 고르는 함수 `choose_learning_rate`를 작성하라. 그런 다음 이 함수에
# `sweep`을 넣어 호출해 고른 학습률을 변수에 담아 두고(연습문제 2에서 이 학습률로 학습시킨다), 그
# 모델 하나에 대해서만 테스트 RMSE를 계산하라. 이 모델은 실습의 모델만큼 잘하는가?

# %%
def choose_learning_rate(sweep):
    """마지막 에포크 뒤의 검증 손실로 고른 학습률을 돌려준다. 돌려주는
    값은 `sweep`의 키 가운데 하나여야 한다. `sweep`은 시도한 학습률마다
    `train`이 돌려준 모델과 학습 곡선을 담은 딕셔너리이다."""
    raise NotImplementedError("연습문제 1: 여기에 코드를 작성하라")


# %% tags=["solution"]
def choose_learning_rate(sweep):
    final = {lr: curves["validation"][-1]
             for lr, (_, curves) in sweep.items()}
    return min(final, key=final.get)


for lr, (_, losses) in sweep.items():
    print(f"LR {lr:<5}: after 100 epochs, training MSE "
          f"{losses['train'][-1]:5.2f}, validation MSE "
          f"{losses['validation'][-1]:5.2f}")
chosen_lr = choose_learning_rate(sweep)
chosen_model = sweep[chosen_lr][0]
chosen_rmse = mse(chosen_model, *splits["test"]) ** 0.5
print(f"chosen: LR {chosen_lr}, test RMSE {chosen_rmse:.2f}")
print(f"the lab's model, LR {LR} for {EPOCHS} epochs: {test_rmse:.2f}")

# %% [markdown] tags=["solution"]
# **풀이가 보여 주는 것.** 100에포크가 지나도 `LR = 0.001`의 모델은 아직 최소제곱 적합에 한참 못
# 미친다(학습 MSE가 25.75로, 하한 19.78보다 높다). 많아야 `LR` 정도씩 가는 400스텝으로는 거기까지 가기에
# 모자라다. 0.1에서는 스텝이 너무 길다. 가중치가 미니배치마다 골짜기 바닥 주변을 이리저리 뛰어다니고,
# 마지막 에포크가 가중치를 내려놓은 자리의 손실은 높다. 그 사이에서는 0.01이 가장 낮은 검증 손실을 내고,
# 0.003과 0.03이 바로 뒤를 잇는다(검증용 주택 101채에서 이만큼 작은 차이는 어느 정도 운이므로 셋 중 어느
# 것을 써도 된다. 이 실험이 걸러 내는 것은 양 끝이다). 0.01은 최소제곱 모델의 검증 손실 19.40보다도 낮은
# 곳에서 끝나는데, 앞에서 말했듯이 검증용 데이터에서 이 값은 하한이 아니다. 0.01로는 5분의 1의
# 에포크만으로 실습의 모델이 500에포크 동안 학습한 것만큼 테스트 주택을 잘 예측한다.
#
# 테스트 RMSE는 고른 모델 하나에 대해 한 번만 계산했다. 다섯 모델 모두의 테스트 RMSE를 구해서 가장 좋은
# 것을 남겼다면 테스트용 데이터는 두 번째 검증용 데이터가 되었을 것이고, 그 숫자는 모델이 처음 보는
# 주택에서의 오차를 지나치게 낙관적으로 추정한 값이 되었을 것이다.

# %% [markdown] tags=["check"]
# 함수를 작성한 다음에 실행한다(노트북에서는 바로 다음 셀). 맞는 답이면 어떤 답이든 통과하고, 틀리면
# 무엇이 틀렸는지 알려 준다.

# %% tags=["check"]
# 어떤 sweep에서든 모델의 손실을 보고 골라야 한다. 이 sweep, 처음
# 고른 학습률을 뺀 sweep, 학습 결과를 한 칸씩 밀어 다른 학습률에 붙인
# sweep, 그리고 마지막 학습 결과 자리에 최소제곱 모델(어떤 선형 모델도
# 이보다 학습 손실이 낮을 수 없다)을 넣은 sweep에서 확인한다.
runs = list(sweep.values())
least_squares_run = (best, {split: [loss] for split, loss in floor.items()})
first_choice = choose_learning_rate(sweep)
for which, tried in [
        ("실습의 sweep", sweep),
        (f"LR {first_choice}의 학습 결과를 뺀 sweep",
         {lr: run for lr, run in sweep.items() if lr != first_choice}),
        ("학습 결과를 한 칸씩 아래 학습률로 옮긴 sweep",
         dict(zip(sweep, runs[1:] + runs[:1]))),
        (f"LR {list(sweep)[-1]} 자리에 최소제곱 모델을 넣은 sweep",
         dict(zip(sweep, runs[:-1] + [least_squares_run])))]:
    your_lr = choose_learning_rate(tried)
    assert your_lr in tried, (
        f"{which}에서 {your_lr!r}은(는) 시도한 학습률 "
        f"{list(tried)} 가운데 하나가 아니다. 함수가 받은 sweep에서 골라라")
    ends = {split: {lr: mse(model, *splits[split])
                    for lr, (model, _) in tried.items()}
            for split in ["train", "validation", "test"]}
    lowest = {split: min(losses, key=losses.get)
              for split, losses in ends.items()}
    for split, split_name in [("train", "학습"), ("test", "테스트")]:
        assert your_lr == lowest["validation"] or your_lr != lowest[split], (
            f"{which}에서 고른 LR {your_lr}의 모델은 "
            f"{split_name} 손실이 가장 낮지만, 마지막 에포크 뒤의 검증 손실이 "
            "가장 낮지는 않다")
    assert your_lr == lowest["validation"], (
        f"{which}에서 LR {your_lr}의 모델은 검증 MSE가 "
        f"{ends['validation'][your_lr]:.2f}에서 끝나지만, 이보다 낮게 끝나는 "
        "학습률이 있다")
print("Exercise 1: correct.")

# %% [markdown]
# ### 연습문제 2: 은닉층 하나
#
# 최소제곱은 *선형* 모델의 학습 손실이 내려갈 수 있는 하한이다. 이번에는 모델에
# [은닉층](../glossary/#hidden-layer)을 하나 넣어라. 은닉층은 순전파 장의
# [2층 신경망](../forward-propagation/#a-two-layer-network)처럼 ReLU를 쓰는 뉴런 32개로 한다.
# `network_with_hidden_layer`를 작성하고, 이 함수가 돌려주는 신경망을 `train`으로 100에포크 동안
# 학습시켜라. 학습률은 연습문제 1에서 고른 값을 쓴다(풀이와 같은 숫자를 얻으려면 신경망을 만들기
# 바로 전에 `torch.manual_seed(0)`을 호출하라). 학습 손실과 검증 손실을 최소제곱 모델의 것과
# 비교하고, 그런 다음 두 모델의 테스트 RMSE를 한 번만 비교하라. 하한은 여전히 하한인가?

# %%
def network_with_hidden_layer():
    """피쳐 13개를 받는 새 신경망을 돌려준다. ReLU를 쓰는 뉴런 32개의
    은닉층 하나와, 가격(표준화된 단위)을 내는 출력 하나로 이루어진다."""
    raise NotImplementedError("연습문제 2: 여기에 코드를 작성하라")


# %% tags=["solution"]
def network_with_hidden_layer():
    return nn.Sequential(nn.Linear(13, 32), nn.ReLU(), nn.Linear(32, 1))


torch.manual_seed(0)
network, network_curves = train(splits, lr=chosen_lr, epochs=100,
                                model=network_with_hidden_layer())
for name in ["train", "validation"]:
    print(f"{name:10} MSE: network {network_curves[name][-1]:5.2f}, "
          f"least squares {floor[name]:5.2f}")
network_rmse = mse(network, *splits["test"]) ** 0.5
linear_rmse = mse(best, *splits["test"]) ** 0.5
print(f"test RMSE: network {network_rmse:.2f}, "
      f"least squares {linear_rmse:.2f}")

# %% [markdown] tags=["solution"]
# **풀이가 보여 주는 것.** 신경망에는 이 하한이 적용되지 않는다. 신경망의 학습 손실은 하한보다 훨씬 낮은
# 곳에서 끝난다. 이 하한은 예측이 피쳐의 가중합에 절편을 더한 값인 모델에만 성립한다. 두 층 사이의 ReLU
# 때문에 예측은 피쳐의 비선형 함수가 된다(ReLU가 없으면 두 층이 한 층으로 합쳐진다는 것을 순전파 장의
# [연습문제 3](../forward-propagation/#exercise-3-depth-without-activation)이 보여 준다). 검증 손실도
# 최소제곱 모델의 절반 정도이므로 신경망이 학습용 주택을 외우기만 한 것은 아니며, 한 번 쓴 테스트용
# 데이터도 같은 말을 한다. 신경망의 RMSE는 약 3,500달러로, 최소제곱 모델의 5,700달러보다 낮다.
#
# 학습 손실이 검증 손실보다 뚜렷하게 낮다는 점도 보인다. 선형 모델에서는 거의 없던 차이이다. 주택 304채에
# 파라미터가 481개이므로 신경망은 학습용 주택의 잡음까지 맞추기 시작할 수
# 있고([과적합](../glossary/#overfitting)), 에포크를 늘리면 이 차이는 더 벌어질 것이다. 그런 조짐을 보고
# 학습을 멈추게 해 주는 것이 바로 검증용 데이터이다.

# %% [markdown] tags=["check"]
# 함수를 작성한 다음에 실행한다(노트북에서는 바로 다음 셀). 맞는 답이면 어떤 답이든 통과하고, 틀리면
# 무엇이 틀렸는지 알려 준다.

# %% tags=["check"]
# 먼저 출력의 모양과 파라미터 수를 보고, 짧게 학습시켜 본다. 은닉층과
# ReLU 같은 비선형 활성화함수가 있는 신경망은 몇 에포크 만에 하한 아래로
# 내려가지만, 예측이 피쳐의 선형 함수인 신경망은 아무리 오래 학습해도
# 내려가지 못한다.
torch.manual_seed(0)
yours = network_with_hidden_layer()
with torch.no_grad():
    shape = tuple(yours(splits["train"][0][:5]).shape)
assert shape == (5, 1), (
    f"주택 5채에 대해 신경망 출력의 모양이 (5, 1)이 아니라 {shape}이다. "
    "주택마다 출력, 곧 가격이 하나여야 한다")
size = sum(parameter.numel() for parameter in yours.parameters())
assert size == 13 * 32 + 32 + 32 + 1, (
    f"신경망의 파라미터가 {size}개이다. 입력 13개, 은닉 뉴런 32개, 출력 "
    "하나로 이루어지고 뉴런마다 절편이 있는 신경망의 파라미터 수와 다르다")
_, your_curves = train(splits, lr=0.03, epochs=20, model=yours)
assert your_curves["train"][-1] < floor["train"], (
    f"20에포크 뒤 신경망의 학습 MSE가 "
    f"{your_curves['train'][-1]:.2f}이고, 선형 모델의 하한 "
    f"{floor['train']:.2f}보다 낮지 않다. 두 층 사이에 ReLU가 있는가?")
print("Exercise 2: correct.")

# %% [markdown]
# ### 연습문제 3: 가격의 로그 예측하기
#
# 가격은 양수이고, 피쳐는 가격을 일정한 금액이 아니라 일정한 비율만큼 바꿀 수도 있다. 동네가 좋으면
# 싼 주택보다 비싼 주택의 가격이 더 많이 오른다. 가격의 로그에 대한 선형 모델이 바로 이런 관계를
# 나타낸다. 이런 모델을 하한 절에서처럼 닫힌 형태로(`torch.linalg.lstsq`) 맞추고, 예측값은 `exp`로
# 다시 천 달러 단위로 되돌려라. 이 일을 하는 `log_price_predictions`를 작성하라. 이 모델을 학습용
# 데이터에 맞추고, 학습용 데이터와 검증용 데이터에서의 RMSE를 가격에 맞춘 최소제곱 모델의 RMSE와
# 비교하라. 그런 다음 한 번만 테스트용 데이터에서 비교하라. 0보다 낮은 예측이 있는가?

# %%
def log_price_predictions(features, prices, new_features):
    """`features`로 `prices`의 로그에 선형 모델을 닫힌 형태(절편이 있는
    최소제곱)로 맞추고, `new_features`에 대한 예측을 exp로 되돌려 천 달러
    단위로 돌려준다. 주택마다 가격이 하나인, 모양이 (len(new_features),)인
    텐서이다."""
    raise NotImplementedError("연습문제 3: 여기에 코드를 작성하라")


# %% tags=["solution"]
def with_ones(features):
    """피쳐에 절편을 맡는, 1로 채운 열을 붙인다(float64)."""
    ones = torch.ones(len(features), 1)
    return torch.cat([features, ones], dim=1).double()


def log_price_predictions(features, prices, new_features):
    log_prices = prices.double().log().reshape(-1, 1)
    fit = torch.linalg.lstsq(with_ones(features), log_prices)
    return (with_ones(new_features) @ fit.solution).exp().squeeze(1)


def rmse(predicted, target):
    return ((predicted - target) ** 2).mean().item() ** 0.5


log_predicted = {name: log_price_predictions(*splits["train"], x)
                 for name, (x, y) in splits.items()}
for name in ["train", "validation"]:
    x, y = splits[name]
    print(f"{name:10} RMSE: log-price model {rmse(log_predicted[name], y):.2f}"
          f", price model {rmse(predict(best, x), y):.2f}")
x, y = splits["test"]
print(f"test       RMSE: log-price model {rmse(log_predicted['test'], y):.2f}"
      f", price model {rmse(predict(best, x), y):.2f}")
print(f"lowest test prediction: log-price model "
      f"{log_predicted['test'].min():.1f}, "
      f"price model {predict(best, x).min():.1f}")
x, y = splits["train"]
print(f"mean training price {y.mean():.2f}; mean prediction: log-price "
      f"model {log_predicted['train'].mean():.2f}, "
      f"price model {predict(best, x).mean():.2f}")

# %% [markdown] tags=["solution"]
# **풀이가 보여 주는 것.** 로그 가격 모델은 학습용 데이터와 검증용 데이터 모두에서 RMSE가 더 낮고, 한 번
# 쓴 테스트용 데이터에서도 그렇다. 이 모델은 가격의 선형 모델이 아니므로 하한이 적용되지 않는다. 가중합의
# 지수 함수는 어떤 피쳐가 표준편차 하나만큼 오를 때마다 가격에 일정한 배수를 곱하므로, 같은 피쳐라도 비싼
# 주택의 가격은 싼 주택의 가격보다 더 많은 달러만큼 움직인다. 그리고 지수 함수의 값은 언제나 양수이다.
# 가격 모델이 0보다 낮게 매긴 값싼 주택도 이 모델에서는 양수의 가격을 받는다.
#
# 다만 로그에는 대가가 있다. 로그에 최소제곱으로 맞춘 모델은 로그 가격의 평균을 예측한다. 로그의 평균에
# 지수 함수를 취하면 기하 평균이 되는데, 기하 평균은 보통의 평균(산술 평균)보다 작다. 그래서 로그 가격
# 모델의 예측은 조금 낮게 나온다. 학습용 데이터에서 예측의 평균은 22.37(천 달러)로, 실제 가격의 평균
# 22.75보다 낮다. 가격 모델의 예측 평균은 이 22.75와 정확히 같다. 여기서는 더 잘 맞는 모양에서 얻는
# 이득이 그 손해보다 크다.

# %% [markdown] tags=["check"]
# 함수를 작성한 다음에 실행한다(노트북에서는 바로 다음 셀). 맞는 답이면 어떤 답이든 통과하고, 틀리면
# 무엇이 틀렸는지 알려 준다.

# %% tags=["check"]
# 로그 가격에 맞춘 최소제곱해를 다른 방법, 곧 정규방정식을 float64로 풀어
# 구해 비교한다. 학습용 분할과 검증용 분할에 번갈아 맞추게 하여, 함수가
# 인자로 받은 주택에 맞추는지도 확인한다.
split_words = {"train": "학습용", "validation": "검증용"}
for fit_on, new in [("train", "validation"), ("validation", "train")]:
    x_fit, y_fit = splits[fit_on]
    x_new, y_new = splits[new]
    yours = torch.as_tensor(log_price_predictions(x_fit, y_fit, x_new))
    assert yours.shape == y_new.shape, (
        f"주택 {len(y_new)}채에 대해 돌려준 모양이 {tuple(yours.shape)}이다. "
        f"주택마다 가격이 하나인 모양 ({len(y_new)},)이어야 한다. 열 하나짜리 "
        "모양이면 가격과 브로드캐스팅된다")
    fit_design = torch.cat([x_fit, torch.ones(len(x_fit), 1)], 1).double()
    new_design = torch.cat([x_new, torch.ones(len(x_new), 1)], 1).double()
    log_weights = torch.linalg.solve(fit_design.T @ fit_design,
                                     fit_design.T @ y_fit.double().log())
    expected = (new_design @ log_weights).exp()
    assert not torch.allclose(yours.double(), expected.log(), rtol=1e-3), (
        "예측이 아직 로그 가격이다. exp로 천 달러 단위의 가격으로 "
        "되돌려라")
    worst = ((yours.double() - expected).abs() / expected).max().item()
    assert worst < 1e-3, (
        f"{split_words[fit_on]} 데이터에 맞춘 함수가 "
        f"{split_words[new]} 주택에 대해 낸 예측이 로그 가격에 맞춘 "
        f"최소제곱해의 예측과 최대 {100 * worst:.1f}% 다르다(절편을 넣고, "
        "인자로 받은 주택에 맞추고, 맞춘 로그 가격에 보정 없이 "
        "exp만 취했는가?)")
print("Exercise 3: correct.")
